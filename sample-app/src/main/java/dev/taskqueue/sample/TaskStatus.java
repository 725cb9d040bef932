package dev.taskqueue.sample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskResult;

/**
 * The state of a task as {@code GET /api/tasks/{id}} answers it, shaped like Celery's task
 * meta.
 *
 * @param id the task id
 * @param state the state name
 * @param result the return value, the exception ({@code exc_type}, {@code exc_message},
 * {@code exc_module}) or the meta of a custom state
 * @param traceback the traceback of a failure, or {@code null}
 * @param dateDone when the task reached a final state, ISO-8601 as Celery writes it, or
 * {@code null}
 */
public record TaskStatus(String id, String state, @Nullable Object result, @Nullable String traceback,
		@JsonProperty("date_done") @Nullable String dateDone) {

	/** Celery's {@code date_done} format: microseconds and an explicit UTC offset. */
	private static final DateTimeFormatter CELERY_TIME = DateTimeFormatter
		.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
		.withZone(ZoneOffset.UTC);

	/**
	 * Read the state of a task, in one read of the backend.
	 * @param result the task's result handle
	 * @return the state
	 */
	static TaskStatus of(AsyncResult<Object> result) {
		TaskResult meta = result.meta();
		Instant dateDone = meta.dateDone();
		return new TaskStatus(result.id(), meta.state().name(), meta.result(), meta.traceback(),
				(dateDone != null) ? CELERY_TIME.format(dateDone) : null);
	}

}
