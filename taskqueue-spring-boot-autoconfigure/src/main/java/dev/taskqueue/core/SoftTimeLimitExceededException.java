package dev.taskqueue.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown inside a running task by {@link TaskContext#checkSoftTimeLimit()} once the task's
 * soft time limit has passed, as Celery raises {@code SoftTimeLimitExceeded} in the task to
 * give it a chance to clean up. A task that ends with this exception, or with an
 * {@link InterruptedException} (or anything caused by one) after its soft time limit passed,
 * is stored as FAILURE with Celery's {@code SoftTimeLimitExceeded}.
 */
public class SoftTimeLimitExceededException extends TaskQueueException {

	private final Duration softTimeLimit;

	/**
	 * Create an exception.
	 * @param softTimeLimit the soft time limit that passed
	 * @param cause what the task threw because of the interruption, or {@code null}
	 */
	public SoftTimeLimitExceededException(Duration softTimeLimit, @Nullable Throwable cause) {
		super("Soft time limit (" + seconds(softTimeLimit) + " s) exceeded", cause);
		this.softTimeLimit = softTimeLimit;
	}

	/**
	 * Return the soft time limit that passed.
	 * @return the soft time limit
	 */
	public Duration getSoftTimeLimit() {
		return this.softTimeLimit;
	}

	private static String seconds(Duration duration) {
		return (duration.getNano() == 0) ? Long.toString(duration.getSeconds())
				: Double.toString(duration.toNanos() / 1e9);
	}

}
