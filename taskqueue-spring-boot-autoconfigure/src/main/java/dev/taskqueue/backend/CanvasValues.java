package dev.taskqueue.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ExceptionInfo;

/**
 * The values that result backends keep for chords and saved groups, in Celery's shapes: a
 * chord part is {@code [1, task_id, state, result]} (Celery's {@code on_chord_part_return}),
 * a group tuple is {@code [[group_id, parent], [member tuples]]} ({@code GroupResult.as_tuple}).
 * For the backends of this library; applications use {@link ResultBackend}.
 */
public final class CanvasValues {

	private CanvasValues() {
	}

	/**
	 * The value Celery serializes into a chord's join set for a part: {@code [1, task_id,
	 * state, result]}, with an {@link ExceptionInfo} or {@link Throwable} result turned into
	 * Celery's exception dict ({@code exc_type}, {@code exc_message}, {@code exc_module}).
	 * @param part the part
	 * @return the list to serialize
	 * @throws IllegalArgumentException when the part is {@code null} or has no task id or state
	 */
	public static List<@Nullable Object> partTuple(ChordPart part) {
		if (part == null || part.taskId() == null || part.taskId().isEmpty() || part.state() == null
				|| part.state().isEmpty()) {
			throw new IllegalArgumentException("A chord part needs a task id and a state, not " + part);
		}
		List<@Nullable Object> tuple = new ArrayList<>(4);
		tuple.add(1);
		tuple.add(part.taskId());
		tuple.add(part.state());
		tuple.add(wireResult(part.result()));
		return tuple;
	}

	/**
	 * Read a part back from its decoded {@code [1, task_id, state, result]}.
	 * @param value the decoded value
	 * @param where where it was read, for the error message
	 * @return the part
	 * @throws ResultBackendException when the value is not a chord part
	 */
	public static ChordPart part(@Nullable Object value, String where) {
		if (value instanceof List<?> list && list.size() == 4 && list.get(1) instanceof String taskId
				&& list.get(2) instanceof String state) {
			return new ChordPart(taskId, state, list.get(3));
		}
		throw new ResultBackendException("Invalid chord part in " + where
				+ ": expected [1, task_id, state, result] but got " + abbreviate(value));
	}

	/**
	 * Check that a group tuple is one: {@code [[group_id, parent], [member tuples]]} of the
	 * given group.
	 * @param groupId the id of the group saved
	 * @param tuple the tuple
	 * @throws IllegalArgumentException when it is not
	 */
	public static void checkGroupTuple(String groupId, @Nullable List<?> tuple) {
		if (groupId == null || groupId.isEmpty()) {
			throw new IllegalArgumentException("A saved group needs a group id");
		}
		if (tuple == null || tuple.size() != 2 || !(tuple.get(0) instanceof List<?> id) || id.size() != 2
				|| !(tuple.get(1) instanceof List<?>)) {
			throw new IllegalArgumentException("The result tuple of group " + groupId
					+ " must be [[group_id, parent], [member tuples]], not " + abbreviate(tuple));
		}
		if (!Objects.equals(id.get(0), groupId)) {
			throw new IllegalArgumentException(
					"The result tuple of group " + groupId + " is the tuple of group " + id.get(0));
		}
	}

	/**
	 * Read a saved group back from its decoded {@code {"result": tuple}}.
	 * @param value the decoded value
	 * @param where where it was read, for the error message
	 * @return the group tuple
	 * @throws ResultBackendException when the value is not a saved group
	 */
	@SuppressWarnings("unchecked")
	public static List<Object> groupTuple(@Nullable Object value, String where) {
		if (value instanceof Map<?, ?> map && map.get("result") instanceof List<?> tuple && tuple.size() == 2) {
			return (List<Object>) tuple;
		}
		throw new ResultBackendException("Invalid saved group in " + where
				+ ": expected {\"result\": [[group_id, parent], [member tuples]]} but got " + abbreviate(value));
	}

	/**
	 * The value Celery stores for a saved group: {@code {"result": tuple}}.
	 * @param tuple the group tuple
	 * @return the map to serialize
	 */
	public static Map<String, Object> savedGroup(List<?> tuple) {
		return Map.of("result", tuple);
	}

	private static @Nullable Object wireResult(@Nullable Object result) {
		ExceptionInfo exception = (result instanceof Throwable throwable) ? ExceptionInfo.of(throwable)
				: (result instanceof ExceptionInfo info) ? info : null;
		if (exception == null) {
			return result;
		}
		// Celery's order: exc_type, exc_message, exc_module
		Map<String, Object> dict = new LinkedHashMap<>();
		dict.put("exc_type", exception.type());
		dict.put("exc_message", exception.message());
		dict.put("exc_module", exception.module());
		return dict;
	}

	private static String abbreviate(@Nullable Object value) {
		String text = String.valueOf(value);
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}
