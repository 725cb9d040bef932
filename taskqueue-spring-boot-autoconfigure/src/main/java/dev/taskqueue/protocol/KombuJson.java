package dev.taskqueue.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Kombu 5.3+ typed JSON values: any object whose keys are exactly {@code __type__} and
 * {@code __value__}. Kombu turns them back into Python objects; here they become the plain
 * values a Java task works with:
 * <ul>
 * <li>{@code datetime}, {@code date}, {@code time}: the ISO-8601 text;</li>
 * <li>{@code decimal}: the decimal text ({@code "1.5"});</li>
 * <li>{@code uuid} ({@code {"hex": "..."}}): the canonical UUID text with dashes;</li>
 * <li>{@code bytes} (UTF-8 text) and {@code base64}: the text as sent.</li>
 * </ul>
 * These are the forms kombu 5.2 writes for the same values, so both generations decode
 * alike. Any other {@code __type__} is an error, as in kombu.
 */
final class KombuJson {

	static final String TYPE = "__type__";

	static final String VALUE = "__value__";

	private KombuJson() {
	}

	/**
	 * Replace the typed values found anywhere in a decoded JSON value.
	 * @param value a plain JSON value
	 * @return the value with typed values replaced; unchanged containers are returned as
	 * they are
	 * @throws MessageDecodingException on an unknown or malformed typed value
	 */
	static @Nullable Object unwrap(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			if (isTyped(map)) {
				return decode(map.get(TYPE), map.get(VALUE));
			}
			Map<Object, Object> result = null;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object item = unwrap(entry.getValue());
				if (item != entry.getValue() && result == null) {
					result = new LinkedHashMap<>(map);
				}
				if (result != null) {
					result.put(entry.getKey(), item);
				}
			}
			return (result != null) ? result : map;
		}
		if (value instanceof List<?> list) {
			List<Object> result = null;
			for (int i = 0; i < list.size(); i++) {
				Object item = unwrap(list.get(i));
				if (item != list.get(i) && result == null) {
					result = new ArrayList<>(list);
				}
				if (result != null) {
					result.set(i, item);
				}
			}
			return (result != null) ? result : list;
		}
		return value;
	}

	private static boolean isTyped(Map<?, ?> map) {
		return map.size() == 2 && map.containsKey(TYPE) && map.containsKey(VALUE);
	}

	private static Object decode(@Nullable Object type, @Nullable Object value) {
		if (!(type instanceof String name)) {
			throw new MessageDecodingException("Invalid kombu typed value: '__type__' must be a string, got " + type);
		}
		return switch (name) {
			case "datetime", "date", "time", "decimal", "bytes", "base64" -> text(name, value);
			case "uuid" -> uuid(value);
			default -> throw new MessageDecodingException("Unknown kombu typed value '__type__': '" + name
					+ "' (known: datetime, date, time, decimal, uuid, bytes, base64)");
		};
	}

	private static String text(String type, @Nullable Object value) {
		if (value instanceof String text) {
			return text;
		}
		throw new MessageDecodingException(
				"Invalid kombu typed value of type '" + type + "': '__value__' must be a string, got " + value);
	}

	private static String uuid(@Nullable Object value) {
		Object hex = (value instanceof Map<?, ?> map) ? map.get("hex") : value;
		if (hex instanceof String text) {
			String digits = text.replace("-", "");
			if (digits.length() == 32 && digits.chars().allMatch((ch) -> Character.digit(ch, 16) >= 0)) {
				String dashed = digits.substring(0, 8) + "-" + digits.substring(8, 12) + "-" + digits.substring(12, 16)
						+ "-" + digits.substring(16, 20) + "-" + digits.substring(20);
				return UUID.fromString(dashed).toString();
			}
		}
		throw new MessageDecodingException(
				"Invalid kombu typed value of type 'uuid': expected {\"hex\": \"<32 hex digits>\"}, got " + value);
	}

}
