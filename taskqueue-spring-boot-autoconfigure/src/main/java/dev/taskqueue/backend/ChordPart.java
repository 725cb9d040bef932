package dev.taskqueue.backend;

import org.jspecify.annotations.Nullable;

/**
 * The result of one chord header member as Celery's Redis backend keeps it in the chord's
 * join set: {@code [1, task_id, state, result]}.
 *
 * @param taskId the member's task id
 * @param state the member's final state
 * @param result its return value, or for FAILURE and REVOKED its exception
 * ({@code exc_type}, {@code exc_message}, {@code exc_module})
 */
public record ChordPart(String taskId, String state, @Nullable Object result) {
}
