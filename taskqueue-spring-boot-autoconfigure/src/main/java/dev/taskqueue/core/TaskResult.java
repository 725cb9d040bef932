package dev.taskqueue.core;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ResultMeta;

/**
 * What the result backend holds about a task at one moment (Celery's task meta, without the
 * wire format): its state and result, and where it came from.
 *
 * @param id the task id
 * @param state the state; PENDING when the backend knows nothing of the task yet
 * @param result the raw JSON value of the state: the return value for SUCCESS, the exception
 * ({@code exc_type}, {@code exc_message}, {@code exc_module}) for FAILURE, RETRY and REVOKED,
 * the meta of a custom state such as PROGRESS, {@code null} while pending
 * @param traceback the traceback stored with a FAILURE or RETRY, or {@code null}
 * @param dateDone when the task reached a final state, or {@code null}
 * @param children the ids of the subtasks the task sent (for a group, the group id)
 * @param parentId the task that sent this one, or {@code null}
 * @param groupId the group the task belongs to, or {@code null}
 * @param name the task name, or {@code null} unless the worker stores extended results
 * @param worker the node name of the worker, or {@code null} unless stored extended
 * @param queue the queue the task arrived on, or {@code null} unless stored extended
 * @param retries how often the task was retried, or {@code null} unless stored extended
 */
public record TaskResult(String id, TaskState state, @Nullable Object result, @Nullable String traceback,
		@Nullable Instant dateDone, List<String> children, @Nullable String parentId, @Nullable String groupId,
		@Nullable String name, @Nullable String worker, @Nullable String queue, @Nullable Integer retries) {

	public TaskResult {
		children = List.copyOf(children);
	}

	/** Whether the state is final: SUCCESS, FAILURE or REVOKED. */
	public boolean ready() {
		return this.state.isReady();
	}

	/** Whether the task ended in SUCCESS. */
	public boolean successful() {
		return TaskState.SUCCESS.equals(this.state);
	}

	/** Whether the task ended in FAILURE. */
	public boolean failed() {
		return TaskState.FAILURE.equals(this.state);
	}

	static TaskResult of(ResultMeta meta) {
		ResultMeta.Extended extended = meta.extended();
		return new TaskResult(meta.taskId(), TaskState.of(meta.status()), meta.result(), meta.traceback(),
				meta.dateDone(), meta.childIds(), meta.parentId(), meta.groupId(),
				(extended != null) ? extended.name() : null, (extended != null) ? extended.worker() : null,
				(extended != null) ? extended.queue() : null, (extended != null) ? extended.retries() : null);
	}

}
