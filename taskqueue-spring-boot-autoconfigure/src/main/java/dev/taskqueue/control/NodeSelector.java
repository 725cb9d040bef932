package dev.taskqueue.control;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Which nodes a request addresses, as kombu's {@code Node.handle_message} decides: the nodes
 * of a non-empty {@code destination} list; else, with a {@code pattern}, the nodes it matches
 * ({@code glob}: Python's {@code fnmatch} on the whole name, the default; {@code pcre}:
 * Python's {@code re.match}, anchored at the start only); else every node. Patterns come from
 * the network: their length is bounded and matching stops after a fixed number of steps.
 */
final class NodeSelector {

	static final int MAX_PATTERN_LENGTH = 256;

	private static final int MAX_MATCH_STEPS = 100_000;

	private NodeSelector() {
	}

	/**
	 * Whether a request addresses a node.
	 * @param node the node's name
	 * @param destination the request's destination
	 * @param pattern the request's pattern
	 * @param matcher the request's matcher, {@code glob} when {@code null}
	 * @return whether the node handles the request
	 * @throws PidboxMessageException when the pattern or matcher cannot be used
	 */
	static boolean addresses(String node, @Nullable List<String> destination, @Nullable String pattern,
			@Nullable String matcher) {
		if (destination != null && !destination.isEmpty()) {
			return destination.contains(node);
		}
		if (pattern == null || pattern.isEmpty()) {
			return true;
		}
		return matches(node, pattern, matcher);
	}

	static boolean matches(String node, String pattern, @Nullable String matcher) {
		if (pattern.length() > MAX_PATTERN_LENGTH) {
			throw new PidboxMessageException("pattern of " + pattern.length() + " characters refused: more than "
					+ MAX_PATTERN_LENGTH);
		}
		String kind = (matcher != null && !matcher.isEmpty()) ? matcher : "glob";
		try {
			return switch (kind) {
				case "glob" -> Pattern.compile(Fnmatch.toRegex(pattern), Pattern.DOTALL)
					.matcher(new StepLimitedText(node, MAX_MATCH_STEPS))
					.matches();
				case "pcre" -> Pattern.compile(pcre(pattern))
					.matcher(new StepLimitedText(node, MAX_MATCH_STEPS))
					.lookingAt();
				default -> throw new PidboxMessageException("matcher '" + PidboxCodec.shorten(kind)
						+ "' is unknown: glob or pcre");
			};
		}
		catch (PatternSyntaxException ex) {
			throw new PidboxMessageException("pattern '" + PidboxCodec.shorten(pattern) + "' is invalid: "
					+ ex.getDescription());
		}
		catch (StepLimitedText.TooManySteps ex) {
			throw new PidboxMessageException("pattern '" + PidboxCodec.shorten(pattern) + "' takes too long to match");
		}
	}

	// Python's named groups (?P<name>...) and back references (?P=name) in Java's syntax
	private static String pcre(String pattern) {
		return pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
	}

	/** A text whose characters may be read a bounded number of times. */
	private static final class StepLimitedText implements CharSequence {

		private final String text;

		private final int[] steps;

		private final int limit;

		StepLimitedText(String text, int limit) {
			this(text, new int[1], limit);
		}

		private StepLimitedText(String text, int[] steps, int limit) {
			this.text = text;
			this.steps = steps;
			this.limit = limit;
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public char charAt(int index) {
			if (++this.steps[0] > this.limit) {
				throw new TooManySteps();
			}
			return this.text.charAt(index);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new StepLimitedText(this.text.substring(start, end), this.steps, this.limit);
		}

		@Override
		public String toString() {
			return this.text;
		}

		/** Matching took more steps than allowed. */
		static final class TooManySteps extends RuntimeException {

			TooManySteps() {
				super(null, null, false, false);
			}

		}

	}

}
