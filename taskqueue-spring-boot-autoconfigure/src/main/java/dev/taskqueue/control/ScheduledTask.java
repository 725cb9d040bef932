package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task a worker holds until its ETA, as in the reply of {@code scheduled}.
 *
 * @param eta the ETA as sent, an ISO-8601 date-time
 * @param priority the timer priority (6 for ETA tasks on Celery)
 * @param request the task
 * @param raw the object as received
 */
public record ScheduledTask(@Nullable String eta, @Nullable Integer priority, TaskInfo request,
		Map<String, @Nullable Object> raw) {
}
