package dev.taskqueue.worker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Hears what becomes of the tasks a worker receives, at the moments Celery sends its task
 * events ({@code task-received}, {@code task-started}, {@code task-succeeded},
 * {@code task-failed}, {@code task-retried}, {@code task-revoked}, {@code task-rejected}):
 * for events, metrics and logs. Every task received ends in exactly one of succeeded,
 * failed, retried, revoked or rejected, unless the worker gives its message back to the
 * broker (it stops, or loses the message), when it ends in none.
 * <p>
 * Called on the worker's threads, mostly the thread that runs the task: implementations must
 * be thread-safe and quick, and must not block. What they throw is logged and ignored.
 */
public interface TaskListener {

	/**
	 * A task message was taken from the broker for a task this worker runs; it waits for its
	 * ETA, a rate-limit token or a pool thread.
	 * @param message the task's message
	 * @param queue the queue it came from
	 */
	default void taskReceived(TaskMessage message, String queue) {
	}

	/**
	 * A task started running, on the thread that runs it.
	 * @param message the task's message
	 * @param queue the queue it came from
	 */
	default void taskStarted(TaskMessage message, String queue) {
	}

	/**
	 * A task returned.
	 * @param message the task's message
	 * @param queue the queue it came from
	 * @param result what it returned
	 * @param runtime how long it ran
	 */
	default void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
	}

	/**
	 * A task failed and will not be retried.
	 * @param message the task's message
	 * @param queue the queue it came from
	 * @param exception the exception as stored for Celery
	 * @param cause what the task threw, or {@code null} when the worker failed it (its
	 * arguments did not fit, its time limit passed)
	 * @param runtime how long it ran, zero when it did not start
	 */
	default void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
	}

	/**
	 * A task asked to be retried, and its retry was sent.
	 * @param message the message of the run that retries
	 * @param queue the queue it came from
	 * @param exception the reason of the retry as stored for Celery
	 * @param cause the exception the retry was for, or {@code null}
	 * @param runtime how long the run took
	 */
	default void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
	}

	/**
	 * A task was revoked: discarded before it ran, expired, or interrupted while it ran.
	 * @param message the task's message
	 * @param queue the queue it came from
	 * @param terminated whether it was running and was interrupted
	 * @param expired whether it was discarded because it expired
	 */
	default void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
	}

	/**
	 * A message was moved to the dead-letter place instead of being run.
	 * @param message the task's message, or {@code null} when the message could not be read
	 * @param queue the queue it came from
	 * @param reason why it was not run
	 */
	default void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
	}

}
