package dev.taskqueue.worker;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;

/**
 * A task this worker has taken from the broker and not finished, as remote control shows it
 * (Celery's {@code Request.info()}).
 *
 * @param stage where the task is
 * @param message the task message
 * @param queue the queue it came from
 * @param redelivered whether the broker delivered it before
 * @param eta when it is due, while it is held for its ETA, otherwise {@code null}
 * @param timeStart when it started, once it is active, otherwise {@code null}
 * @param acknowledged whether its message was acknowledged: once it is active and acknowledges
 * early
 */
public record WorkerRequest(Stage stage, TaskMessage message, String queue, boolean redelivered,
		@Nullable Instant eta, @Nullable Instant timeStart, boolean acknowledged) {

	/**
	 * Return the task id.
	 * @return the id
	 */
	public String id() {
		return this.message.id();
	}

	/** Where a task is on this worker. */
	public enum Stage {

		/** Held until its ETA (Celery's {@code scheduled}). */
		SCHEDULED,

		/** Taken from the broker, waiting for a rate-limit token or a pool thread. */
		RESERVED,

		/** Running. */
		ACTIVE

	}

}
