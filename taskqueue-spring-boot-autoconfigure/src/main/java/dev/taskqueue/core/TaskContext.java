package dev.taskqueue.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a running task knows about itself (Celery's {@code self.request}), and how it reports
 * progress. Declare a parameter of this type on a {@link CeleryTask} method to receive it.
 */
public interface TaskContext {

	/**
	 * Return the task id.
	 * @return the task id
	 */
	String id();

	/**
	 * Return the task name.
	 * @return the task name
	 */
	String name();

	/**
	 * Return how many times the task was retried before this run.
	 * @return the number of retries
	 */
	int retries();

	/**
	 * Return the id of the first task of the workflow.
	 * @return the root task id
	 */
	String rootId();

	/**
	 * Return the id of the task that sent this one, or {@code null}.
	 * @return the parent task id, or {@code null}
	 */
	@Nullable String parentId();

	/**
	 * Return all message headers, including custom ones.
	 * @return the message headers
	 */
	Map<String, Object> headers();

	/**
	 * Store a state for this task, such as {@code PROGRESS} with {@code {current, total}}, as
	 * Celery's {@code update_state} does. Clients see it through {@link AsyncResult#state()} and
	 * {@link AsyncResult#result()}.
	 * @param state the state name
	 * @param meta what the state carries, a JSON-serializable value
	 */
	void updateState(String state, @Nullable Object meta);

	/**
	 * Return whether this run's soft time limit has passed. When it passes, the worker
	 * interrupts the task's thread: blocking calls such as {@link Thread#sleep(long)} throw
	 * an {@link InterruptedException} (or an exception caused by one), and code that blocks on
	 * nothing can call {@link #checkSoftTimeLimit()} now and then. The task may then clean up
	 * and either return normally (SUCCESS) or throw (FAILURE with Celery's
	 * {@code SoftTimeLimitExceeded}), before its hard time limit, if any, passes too.
	 * @return whether the soft time limit has passed
	 */
	default boolean softTimeLimitExceeded() {
		return false;
	}

	/**
	 * Throw a {@link SoftTimeLimitExceededException} when this run's soft time limit has
	 * passed, clearing the thread's interrupt so that the task's cleanup may block; do nothing
	 * otherwise. For loops that block on nothing and so never see the interruption.
	 * @throws SoftTimeLimitExceededException when the soft time limit has passed
	 */
	default void checkSoftTimeLimit() {
	}

	/**
	 * Return a retry of this task to throw, as Celery's {@code raise self.retry()}: the task
	 * runs again after its {@code defaultRetryDelay} unless the retry is given a countdown or an
	 * ETA.
	 * @return the retry, to configure and throw
	 */
	default TaskRetry retry() {
		return TaskRetry.of(name());
	}

	/**
	 * Return a retry of this task because of an exception, as Celery's
	 * {@code raise self.retry(exc=ex)}.
	 * @param exception the exception that made the task retry
	 * @return the retry, to configure and throw
	 */
	default TaskRetry retry(Throwable exception) {
		return retry().exception(exception);
	}

	/**
	 * The context of the task running on the current thread.
	 * @return the context, or {@code null} outside a task
	 */
	static @Nullable TaskContext current() {
		return TaskContextHolder.get();
	}

}
