package dev.taskqueue.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Celery's task meta: the state and result of a task as a result backend stores it.
 *
 * @param taskId the task id
 * @param status the state name, one of {@link CeleryStates} or a custom one such as {@code PROGRESS}
 * @param result the return value for SUCCESS, the exception for FAILURE, RETRY and REVOKED
 * (see {@link #exception()}), the meta for custom states; a plain JSON value
 * @param traceback the formatted stack trace for FAILURE and RETRY, or {@code null}
 * @param children result tuples of the subtasks this task sent
 * @param dateDone when the task reached a final state, or {@code null}
 * @param groupId the group of the task, or {@code null}
 * @param groupIndex the position in the group, or {@code null}
 * @param parentId the task that sent this one, or {@code null}
 * @param extended the {@code result_extended} fields, or {@code null} when not stored
 */
public record ResultMeta(String taskId, String status, @Nullable Object result, @Nullable String traceback,
		List<Object> children, @Nullable Instant dateDone, @Nullable String groupId, @Nullable Integer groupIndex,
		@Nullable String parentId, @Nullable Extended extended) {

	/**
	 * The meta of a task no backend knows of.
	 * @param taskId the task id
	 * @return a PENDING meta
	 */
	public static ResultMeta pending(String taskId) {
		return of(taskId, CeleryStates.PENDING, null);
	}

	/**
	 * A meta with no traceback, children, group, parent or extended fields, and a
	 * {@code dateDone} of now when the state is final.
	 * @param taskId the task id
	 * @param status the state
	 * @param result the result value
	 * @return the meta
	 */
	public static ResultMeta of(String taskId, String status, @Nullable Object result) {
		return new ResultMeta(taskId, status, result, null, List.of(), CeleryStates.isReady(status) ? Instant.now() : null, null,
				null, null, null);
	}

	/**
	 * A meta for an exception state.
	 * @param taskId the task id
	 * @param status the status: FAILURE, RETRY or REVOKED
	 * @param exception the exception
	 * @param traceback the stack trace, or {@code null}
	 * @return the meta
	 */
	public static ResultMeta ofException(String taskId, String status, ExceptionInfo exception,
			@Nullable String traceback) {
		return new ResultMeta(taskId, status, exception.toMap(), traceback, List.of(),
				CeleryStates.isReady(status) ? Instant.now() : null, null, null, null, null);
	}

	/**
	 * The REVOKED meta Celery stores for a revoked, expired or terminated task: a
	 * {@code celery.exceptions.TaskRevokedError} with the reason as its argument.
	 * @param taskId the task id
	 * @param reason {@code revoked}, {@code expired} or {@code terminated}
	 * @return the meta
	 */
	public static ResultMeta revoked(String taskId, String reason) {
		return ofException(taskId, CeleryStates.REVOKED,
				ExceptionInfo.python("celery.exceptions", "TaskRevokedError", reason), null);
	}

	/** Whether the state is final: SUCCESS, FAILURE or REVOKED. */
	public boolean isReady() {
		return CeleryStates.isReady(this.status);
	}

	/** Whether the result of the state is an exception: FAILURE, RETRY or REVOKED. */
	public boolean isException() {
		return CeleryStates.isException(this.status);
	}

	/**
	 * The task ids of the children: the first element of each result tuple
	 * ({@code [[id, parent], null]}, or {@code [[group_id, null], [members]]} for a group).
	 * @return the ids, in the stored order, skipping entries of another shape
	 */
	public List<String> childIds() {
		List<String> ids = new ArrayList<>();
		for (Object child : this.children) {
			if (child instanceof List<?> tuple && !tuple.isEmpty() && tuple.get(0) instanceof List<?> head
					&& !head.isEmpty() && head.get(0) instanceof String id) {
				ids.add(id);
			}
		}
		return ids;
	}

	/** The exception of an exception state, or {@code null} when the result is not one. */
	public @Nullable ExceptionInfo exception() {
		if (this.result instanceof Map<?, ?> map && map.get("exc_type") instanceof String type) {
			Object message = map.get("exc_message");
			List<Object> args = (message instanceof List<?> list) ? List.copyOf(nullSafe(list))
					: (message != null) ? List.of(message) : List.of();
			Object module = map.get("exc_module");
			return new ExceptionInfo(type, args, (module != null) ? module.toString() : "builtins");
		}
		return null;
	}

	public ResultMeta withExtended(@Nullable Extended extended) {
		return new ResultMeta(this.taskId, this.status, this.result, this.traceback, this.children, this.dateDone,
				this.groupId, this.groupIndex, this.parentId, extended);
	}

	/**
	 * Return this meta with other children.
	 * @param children result tuples of the subtasks the task sent
	 * @return the meta with the children
	 */
	public ResultMeta withChildren(List<Object> children) {
		return new ResultMeta(this.taskId, this.status, this.result, this.traceback, List.copyOf(children), this.dateDone,
				this.groupId, this.groupIndex, this.parentId, this.extended);
	}

	public ResultMeta withLineage(@Nullable String groupId, @Nullable Integer groupIndex,
			@Nullable String parentId) {
		return new ResultMeta(this.taskId, this.status, this.result, this.traceback, this.children, this.dateDone,
				groupId, groupIndex, parentId, this.extended);
	}

	private static List<Object> nullSafe(List<?> list) {
		return list.stream().map((item) -> (item != null) ? (Object) item : "None").toList();
	}

	/**
	 * The fields Celery adds with {@code result_extended=True}.
	 *
	 * @param name the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param worker the node name of the worker
	 * @param retries the number of retries done
	 * @param queue the routing key the message arrived with
	 */
	public record Extended(@Nullable String name, @Nullable List<Object> args, @Nullable Map<String, Object> kwargs,
			@Nullable String worker, @Nullable Integer retries, @Nullable String queue) {
	}

}
