package dev.taskqueue.control;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Python's spelling of values and types in the texts of replies.
 */
final class PythonText {

	private static final int MAX_REPR = 200;

	private PythonText() {
	}

	/**
	 * Return the Python type name of a JSON value.
	 * @param value the value
	 * @return such as {@code str}, {@code int} or {@code NoneType}
	 */
	static String typeName(@Nullable Object value) {
		if (value == null) {
			return "NoneType";
		}
		if (value instanceof String) {
			return "str";
		}
		if (value instanceof Boolean) {
			return "bool";
		}
		if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			return "float";
		}
		if (value instanceof Number) {
			return "int";
		}
		if (value instanceof List) {
			return "list";
		}
		if (value instanceof Map) {
			return "dict";
		}
		return value.getClass().getSimpleName();
	}

	/**
	 * Return a string as Python's {@code repr} writes it, cut when long.
	 * @param text the string
	 * @return the quoted string
	 */
	static String repr(String text) {
		return PythonErrors.string((text.length() > MAX_REPR) ? text.substring(0, MAX_REPR) + "..." : text);
	}

	/**
	 * Return a reply {@code {"ok": text}}.
	 * @param text the text
	 * @return the reply
	 */
	static Map<String, Object> ok(String text) {
		return Map.of("ok", text);
	}

	/**
	 * Return a reply {@code {"error": text}}.
	 * @param text the text
	 * @return the reply
	 */
	static Map<String, Object> error(String text) {
		return Map.of("error", text);
	}

	/**
	 * Return an instant as Python's {@code time.time()}: seconds since the epoch as a float.
	 * @param instant the instant
	 * @return the seconds
	 */
	static double epochSeconds(Instant instant) {
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

}
