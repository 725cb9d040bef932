package dev.taskqueue.core;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.canvas.CanvasLimits;

/**
 * Reads Celery's result tuples of a saved group ({@code GroupResult.as_tuple()}, as
 * {@code result_from_tuple} reads them): {@code [[group_id, parent], [children]]}, where a
 * child is a task {@code [[task_id, parent], null]} or a nested group
 * {@code [[group_id, parent], [children]]}, and the head may also be the bare id.
 */
final class GroupTuples {

	private GroupTuples() {
	}

	/**
	 * The task ids of a saved group's members, in order, members of nested groups in their
	 * place.
	 * @param groupId the group id, for the error message
	 * @param tuple the group's result tuple, as {@code CanvasStore.restoreGroup} returns it
	 * @return the member ids
	 * @throws ResultBackendException when the tuple is not a group's result tuple
	 */
	static List<String> memberIds(String groupId, @Nullable List<?> tuple) {
		List<String> ids = new ArrayList<>();
		List<?> children = children(groupId, tuple, "the group");
		if (children == null) {
			throw malformed(groupId, "the group is saved as a single task's tuple " + describe(tuple));
		}
		collect(groupId, children, 1, ids);
		return ids;
	}

	private static void collect(String groupId, List<?> children, int depth, List<String> ids) {
		if (depth > CanvasLimits.MAX_DEPTH) {
			throw malformed(groupId, "its groups nest deeper than " + CanvasLimits.MAX_DEPTH + " levels");
		}
		for (int i = 0; i < children.size(); i++) {
			Object child = children.get(i);
			String where = "child " + (i + 1) + " at depth " + depth;
			List<?> nested = children(groupId, child, where);
			if (nested != null) {
				collect(groupId, nested, depth + 1, ids);
			}
			else {
				ids.add(id(groupId, (List<?>) child, where));
			}
		}
	}

	// the children of a group tuple, or null for a task tuple
	private static @Nullable List<?> children(String groupId, @Nullable Object tuple, String where) {
		if (!(tuple instanceof List<?> list) || list.size() != 2) {
			throw malformed(groupId, where + " is not a [id, children] pair: " + describe(tuple));
		}
		Object children = list.get(1);
		if (children != null && !(children instanceof List<?>)) {
			throw malformed(groupId, where + " has children that are not a list: " + describe(children));
		}
		id(groupId, list, where);
		return (List<?>) children;
	}

	private static String id(String groupId, List<?> tuple, String where) {
		Object head = tuple.get(0);
		Object id = (head instanceof List<?> pair && !pair.isEmpty()) ? pair.get(0) : head;
		if (!(id instanceof String text) || text.isBlank()) {
			throw malformed(groupId, where + " has no id: " + describe(head));
		}
		return text;
	}

	private static ResultBackendException malformed(String groupId, String why) {
		return new ResultBackendException("Group " + groupId + " is not saved as Celery's group result tuple "
				+ "[[group_id, null], [[[task_id, null], null], ...]]: " + why);
	}

	private static String describe(@Nullable Object value) {
		String text = String.valueOf(value);
		return (text.length() > 120) ? text.substring(0, 120) + "..." : text;
	}

}
