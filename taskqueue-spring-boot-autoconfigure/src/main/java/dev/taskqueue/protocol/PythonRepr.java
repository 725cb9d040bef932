package dev.taskqueue.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code argsrepr} and {@code kwargsrepr} headers as Celery writes them:
 * {@code celery.utils.saferepr.saferepr(args, 1024)}. That is Python's {@code repr} with
 * Celery's own twists, reproduced here:
 * <ul>
 * <li>strings are always in single quotes, and only {@code '} is escaped (as
 * {@code \'}); other characters, including new lines and non-ASCII letters, are kept as
 * they are (Python's own {@code repr} would switch quotes and escape them);</li>
 * <li>containers three levels below the arguments tuple or dict are shown as
 * {@code [...]} or {@code {...}};</li>
 * <li>output stops after 1024 characters with {@code , ...} followed by the closing
 * brackets, and long strings are cut at a word boundary and end with {@code ...}.</li>
 * </ul>
 * Values are shown as a Python worker sees them after JSON decoding: Java objects that are
 * not plain JSON values are converted with {@link CeleryJson}'s mapper first (a record
 * becomes a dict, an {@code Instant} a string, a set a list).
 */
final class PythonRepr {

	/** Celery's {@code argsrepr_maxsize} and {@code kwargsrepr_maxsize}. */
	static final int MAX_LENGTH = 1024;

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	private PythonRepr() {
	}

	/**
	 * The repr of the positional arguments as a tuple: {@code (2, 3)}, {@code (1,)},
	 * {@code ()}.
	 * @param args the arguments
	 * @return the repr, at most about 1024 characters
	 */
	static String args(List<Object> args) {
		return saferepr(new Tuple(args), MAX_LENGTH);
	}

	/**
	 * The repr of the keyword arguments as a dict: {@code {'x': 2, 'y': 3}}, {@code {}}.
	 * @param kwargs the arguments
	 * @return the repr, at most about 1024 characters
	 */
	static String kwargs(Map<String, Object> kwargs) {
		return saferepr(kwargs, MAX_LENGTH);
	}

	static String saferepr(@Nullable Object value, int maxLength) {
		SafeReprWriter writer = new SafeReprWriter(maxLength);
		writer.value(value);
		return writer.toString();
	}

	/**
	 * Return the length of a text as Python counts it, in code points.
	 * @param text the text
	 * @return the number of code points
	 */
	static int length(String text) {
		return text.codePointCount(0, text.length());
	}

	/**
	 * Celery's {@code truncate(s, maxlen)}: cut at a word boundary and add {@code ...}.
	 * @param text the text
	 * @param maxLength the length to cut at
	 * @return the text, truncated when longer than {@code maxLength}
	 */
	static String truncate(String text, int maxLength) {
		if (maxLength == 0 || length(text) < maxLength) {
			return text;
		}
		String head = text.substring(0, text.offsetByCodePoints(0, Math.max(maxLength, 0)));
		int space = head.lastIndexOf(' ');
		return ((space >= 0) ? head.substring(0, space) : head) + "...";
	}

	/**
	 * Return the value as a Python worker sees it after JSON decoding.
	 * @param value the value
	 * @return the plain value
	 */
	static @Nullable Object plain(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number
				|| value instanceof List<?> || value instanceof Map<?, ?> || value instanceof Tuple) {
			return value;
		}
		if (value instanceof Character || value instanceof CharSequence) {
			return value.toString();
		}
		if (value instanceof Collection<?> collection) {
			return new ArrayList<>(collection);
		}
		try {
			return MAPPER.convertValue(value, Object.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return String.valueOf(value);
		}
	}

	/**
	 * The positional arguments: a Python tuple.
	 * @param items the arguments
	 */
	record Tuple(List<?> items) {
	}

}
