package dev.taskqueue.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Typed reads of decoded wire values (headers, body fields, result meta fields) with a
 * {@link MessageDecodingException} that names the field when the type is wrong. Each
 * method takes the value and a description of where it comes from, such as
 * {@code "header 'eta'"}.
 */
final class WireValues {

	private WireValues() {
	}

	static @Nullable String string(@Nullable Object value, String what) {
		if (value == null) {
			return null;
		}
		if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		throw invalid(what, "a string", value);
	}

	static String requiredText(@Nullable Object value, String what) {
		String text = string(value, what);
		if (text == null || text.isBlank()) {
			throw new MessageDecodingException("Missing " + what);
		}
		return text;
	}

	static @Nullable Integer integer(@Nullable Object value, String what) {
		if (value == null || value instanceof Integer) {
			return (Integer) value;
		}
		if (value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
			BigInteger integer = new BigInteger(value.toString());
			if (integer.bitLength() < 32) {
				return integer.intValue();
			}
		}
		else if (value instanceof Number number) {
			double real = number.doubleValue();
			if (real == Math.rint(real) && Math.abs(real) <= Integer.MAX_VALUE) {
				return (int) real;
			}
		}
		throw invalid(what, "an integer", value);
	}

	static int integer(@Nullable Object value, String what, int fallback) {
		Integer integer = integer(value, what);
		return (integer != null) ? integer : fallback;
	}

	static @Nullable Double number(@Nullable Object value, String what) {
		if (value == null) {
			return null;
		}
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		throw invalid(what, "a number", value);
	}

	static boolean bool(@Nullable Object value, String what, boolean fallback) {
		if (value == null) {
			return fallback;
		}
		if (value instanceof Boolean bool) {
			return bool;
		}
		throw invalid(what, "a boolean", value);
	}

	static @Nullable Instant time(@Nullable Object value, String what) {
		String text = string(value, what);
		if (text == null) {
			return null;
		}
		try {
			return CeleryTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new MessageDecodingException(
					"Invalid " + what + ": '" + text + "' is not an ISO-8601 date-time (" + ex.getMessage() + ")", ex);
		}
	}

	@SuppressWarnings("unchecked")
	static @Nullable List<Object> list(@Nullable Object value, String what) {
		if (value == null || value instanceof List<?>) {
			return (List<Object>) value;
		}
		throw invalid(what, "a list", value);
	}

	@SuppressWarnings("unchecked")
	static @Nullable Map<String, Object> map(@Nullable Object value, String what) {
		if (value == null || value instanceof Map<?, ?>) {
			return (Map<String, Object>) value;
		}
		throw invalid(what, "an object", value);
	}

	static MessageDecodingException invalid(String what, String expected, @Nullable Object value) {
		String type = (value != null) ? value.getClass().getSimpleName() : "null";
		return new MessageDecodingException("Invalid " + what + ": expected " + expected + " but got " + type
				+ " " + abbreviate(String.valueOf(value)));
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 77) + "...";
	}

}
