package dev.taskqueue.control;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The arguments of one remote-control request, read from an untrusted message: each read
 * checks the type and fails with the {@code TypeError} or {@code ValueError} Celery would
 * reply with, never with a {@link ClassCastException}.
 */
final class Arguments {

	/** The most task ids one request may name. */
	static final int MAX_IDS = 10_000;

	private final String method;

	private final Map<String, @Nullable Object> values;

	Arguments(String method, Map<String, @Nullable Object> values) {
		this.method = method;
		this.values = values;
	}

	@Nullable String string(String key) {
		Object value = this.values.get(key);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw typeError(key, "str", value);
	}

	String requiredString(String key) {
		String value = string(key);
		if (value == null) {
			throw missing(key);
		}
		return value;
	}

	boolean bool(String key, boolean defaultValue) {
		Object value = this.values.get(key);
		if (value == null) {
			return defaultValue;
		}
		if (value instanceof Boolean bool) {
			return bool;
		}
		throw typeError(key, "bool", value);
	}

	// Read an integer, written as a JSON integer or as a string of digits (the CLI's form).
	@Nullable Integer integer(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return null;
		}
		try {
			if (value instanceof Integer || value instanceof Long || value instanceof Short
					|| value instanceof BigInteger) {
				return Math.toIntExact(((Number) value).longValue());
			}
			if (value instanceof String text && text.trim().matches("[+-]?\\d{1,9}")) {
				return Integer.parseInt(text.trim());
			}
		}
		catch (ArithmeticException ex) {
			throw new ControlCommandException("ValueError", "'" + key + "' is out of range");
		}
		throw typeError(key, "int", value);
	}

	// Read a finite number, written as a JSON number or as a numeric string.
	@Nullable Double number(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return null;
		}
		double number;
		if (value instanceof Number given && !(value instanceof BigDecimal)) {
			number = given.doubleValue();
		}
		else if (value instanceof BigDecimal decimal) {
			number = decimal.doubleValue();
		}
		else if (value instanceof String text) {
			try {
				number = Double.parseDouble(text.trim());
			}
			catch (NumberFormatException ex) {
				throw new ControlCommandException("ValueError",
						"could not convert string to float: " + PythonText.repr(text));
			}
		}
		else {
			throw typeError(key, "float", value);
		}
		if (!Double.isFinite(number)) {
			throw new ControlCommandException("ValueError", "'" + key + "' must be a finite number");
		}
		return number;
	}

	// Read one string or a list of strings, such as the {@code task_id} of {@code revoke}.
	List<String> strings(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return List.of();
		}
		if (value instanceof String single) {
			return List.of(single);
		}
		if (!(value instanceof List<?> list)) {
			throw typeError(key, "list", value);
		}
		if (list.size() > MAX_IDS) {
			throw new ControlCommandException("ValueError",
					"'" + key + "' names " + list.size() + " items, more than " + MAX_IDS);
		}
		List<String> strings = new ArrayList<>(list.size());
		for (Object item : list) {
			if (!(item instanceof String string)) {
				throw typeError(key + "[]", "str", item);
			}
			if (!strings.contains(string)) {
				strings.add(string);
			}
		}
		return strings;
	}

	// Read an object whose values are all numbers, such as the {@code revoked} of {@code hello}.
	Map<?, ?> map(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map) {
			return map;
		}
		throw typeError(key, "dict", value);
	}

	ControlCommandException missing(String key) {
		return new ControlCommandException("TypeError",
				this.method + "() missing 1 required positional argument: '" + key + "'");
	}

	private ControlCommandException typeError(String key, String expected, @Nullable Object value) {
		return new ControlCommandException("TypeError", this.method + "() argument '" + key + "' must be "
				+ expected + ", not " + PythonText.typeName(value));
	}

}
