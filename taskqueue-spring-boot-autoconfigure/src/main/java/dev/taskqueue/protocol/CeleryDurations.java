package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the durations of annotation attributes ({@code @CeleryTask}, {@code @TaskClient}): a
 * number is seconds, as in Celery ({@code 30}, {@code 0.5}); otherwise a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or an ISO-8601 duration
 * ({@code PT30S}).
 */
public final class CeleryDurations {

	private static final Pattern WITH_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

	private CeleryDurations() {
	}

	/**
	 * Parse a duration.
	 * @param text the text, empty for none
	 * @return the duration, or {@code null} when the text is empty
	 * @throws IllegalArgumentException when the text is not a duration or is negative
	 */
	public static @Nullable Duration parse(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty()) {
			return null;
		}
		Duration duration = parseNonEmpty(trimmed);
		if (duration.isNegative()) {
			throw new IllegalArgumentException("'" + text + "' is negative");
		}
		return duration;
	}

	private static Duration parseNonEmpty(String text) {
		if (text.matches("\\d+(\\.\\d+)?")) {
			return seconds(new BigDecimal(text));
		}
		Matcher unit = WITH_UNIT.matcher(text);
		if (unit.matches()) {
			BigDecimal amount = new BigDecimal(unit.group(1));
			return switch (unit.group(2)) {
				case "ms" -> Duration.ofNanos(amount.movePointRight(6).longValue());
				case "s" -> seconds(amount);
				case "m" -> seconds(amount.multiply(BigDecimal.valueOf(60)));
				case "h" -> seconds(amount.multiply(BigDecimal.valueOf(3600)));
				default -> seconds(amount.multiply(BigDecimal.valueOf(86400)));
			};
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a duration: give seconds (30, 0.5), a number "
					+ "with a unit (500ms, 30s, 5m, 2h, 1d) or an ISO-8601 duration (PT30S)");
		}
	}

	/**
	 * A duration of seconds, fractions included.
	 * @param seconds the seconds
	 * @return the duration
	 */
	public static Duration seconds(BigDecimal seconds) {
		return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
	}

}
