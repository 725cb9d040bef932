package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads Celery's JSON form of signatures, checking each field's type. Only the outer level is
 * read; the parts of a composite are read when asked for.
 */
final class SignatureReader {

	private SignatureReader() {
	}

	static CanvasSignature read(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new CanvasException("A signature is a JSON object, not " + describe(value));
		}
		if (!(map.get("task") instanceof String task) || task.isBlank()) {
			throw new CanvasException("A signature needs a task name ('task'), got " + describe(map.get("task")));
		}
		List<@Nullable Object> args = new ArrayList<>(list(map.get("args"), task, "args"));
		Map<String, @Nullable Object> kwargs = object(map.get("kwargs"), task, "kwargs");
		Map<String, @Nullable Object> options = object(map.get("options"), task, "options");
		Object type = map.get("subtask_type");
		if (type != null && !(type instanceof String)) {
			throw new CanvasException("Signature '" + task + "' has a subtask_type that is not a string: "
					+ describe(type));
		}
		Object immutable = map.get("immutable");
		return new CanvasSignature(task, args, kwargs, options, (String) type, Boolean.TRUE.equals(immutable));
	}

	static List<CanvasSignature> list(@Nullable Object value, String what) {
		return signatures(value, what, what);
	}

	static List<CanvasSignature> signatures(@Nullable Object value, String what, String kind) {
		if (!(value instanceof List<?> items)) {
			throw new CanvasException("Expected a list of signatures in " + what + ", got " + describe(value));
		}
		if (items.size() > CanvasLimits.MAX_WIDTH) {
			// checked before anything is read, so that a huge list costs nothing
			throw new CanvasException("A " + kind + " of " + items.size() + " signatures is more than the "
					+ CanvasLimits.MAX_WIDTH + " allowed");
		}
		List<CanvasSignature> signatures = new ArrayList<>(items.size());
		for (Object item : items) {
			signatures.add(read(item));
		}
		return signatures;
	}

	private static List<?> list(@Nullable Object value, String task, String field) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return list;
		}
		throw new CanvasException("Signature '" + task + "' has " + field + " that are not a list: "
				+ describe(value));
	}

	private static Map<String, @Nullable Object> object(@Nullable Object value, String task, String field) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		if (value == null) {
			return result;
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new CanvasException("Signature '" + task + "' has " + field + " that are not an object: "
					+ describe(value));
		}
		map.forEach((key, item) -> result.put(String.valueOf(key), item));
		return result;
	}

	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		String text = String.valueOf(value);
		return value.getClass().getSimpleName() + " " + ((text.length() > 80) ? text.substring(0, 80) + "..." : text);
	}

}
