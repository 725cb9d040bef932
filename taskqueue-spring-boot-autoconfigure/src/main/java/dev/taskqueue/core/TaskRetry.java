package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown by a task to be run again later, as Celery's {@code raise self.retry(...)}: the worker
 * sends the same task (same id, same arguments) again with its retry count raised by one, stores
 * RETRY, and only then settles the message of this run. Obtain one from
 * {@link TaskContext#retry()} and throw it:
 *
 * <pre class="code">
 * throw context.retry().countdown(Duration.ofSeconds(5)).exception(ex);
 * </pre>
 *
 * When the task has been retried {@code maxRetries} times already, the task ends FAILURE with
 * the {@link #exception(Throwable) exception} given, or Celery's
 * {@code MaxRetriesExceededError} when none was.
 */
public final class TaskRetry extends TaskQueueException {

	private @Nullable Duration countdown;

	private @Nullable Instant eta;

	private @Nullable Throwable exception;

	private @Nullable Integer maxRetries;

	private TaskRetry(String taskName) {
		super("Retry of task " + taskName);
	}

	/**
	 * Run again after this long, instead of the task's {@code defaultRetryDelay}.
	 * @param countdown how long to wait
	 * @return this retry
	 */
	public TaskRetry countdown(Duration countdown) {
		Assert.isTrue(!countdown.isNegative(), "'countdown' must not be negative");
		this.countdown = countdown;
		return this;
	}

	/**
	 * Run again at this time, instead of after a countdown.
	 * @param eta when to run again
	 * @return this retry
	 */
	public TaskRetry eta(Instant eta) {
		this.eta = eta;
		return this;
	}

	/**
	 * The exception that made the task retry (Celery's {@code exc}): stored with RETRY, and the
	 * task's FAILURE when no retry is left.
	 * @param exception the exception
	 * @return this retry
	 */
	public TaskRetry exception(Throwable exception) {
		this.exception = exception;
		if (getCause() == null) {
			initCause(exception);
		}
		return this;
	}

	/**
	 * Allow this many retries instead of the task's {@code maxRetries}; {@code -1} for no limit.
	 * @param maxRetries the most retries
	 * @return this retry
	 */
	public TaskRetry maxRetries(int maxRetries) {
		Assert.isTrue(maxRetries >= -1, "'maxRetries' must be -1 (no limit) or more");
		this.maxRetries = maxRetries;
		return this;
	}

	/**
	 * Return the countdown given, or {@code null}.
	 * @return the countdown, or {@code null}
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

	/**
	 * Return the ETA given, or {@code null}.
	 * @return the ETA, or {@code null}
	 */
	public @Nullable Instant getEta() {
		return this.eta;
	}

	/**
	 * Return the exception given, or {@code null}.
	 * @return the exception, or {@code null}
	 */
	public @Nullable Throwable getException() {
		return this.exception;
	}

	/**
	 * Return the most retries given, or {@code null} for the task's own.
	 * @return the most retries, {@code -1} for no limit, or {@code null}
	 */
	public @Nullable Integer getMaxRetries() {
		return this.maxRetries;
	}

	/**
	 * Create the retry of a task, for {@link TaskContext} implementations.
	 * @param taskName the name of the task that retries
	 * @return a retry to configure and throw
	 */
	public static TaskRetry of(String taskName) {
		return new TaskRetry(taskName);
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
