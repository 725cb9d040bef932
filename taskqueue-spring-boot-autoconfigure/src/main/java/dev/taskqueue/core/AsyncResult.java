package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskState;

/**
 * The state and result of a sent task, read from the result backend (Celery's
 * {@code AsyncResult}). State accessors read the backend on each call; {@link #get(Duration)}
 * waits for a final state without polling.
 *
 * @param <T> the type the result is converted to
 */
public interface AsyncResult<T> {

	/** The task id. */
	String id();

	/** The latest state; PENDING when the backend knows nothing of the task yet. */
	TaskState state();

	/** Whether the task reached a final state: SUCCESS, FAILURE or REVOKED. */
	boolean ready();

	/** Whether the task ended in SUCCESS. */
	boolean successful();

	/** Whether the task ended in FAILURE. */
	boolean failed();

	/**
	 * Wait for the task to finish and return its result.
	 * @param timeout how long to wait
	 * @return the result converted to {@code T}
	 * @throws TaskFailedException when the task failed
	 * @throws TaskRevokedException when the task was revoked or expired
	 * @throws TaskTimeoutException when the task is not done in time
	 */
	@Nullable T get(Duration timeout);

	/**
	 * Wait for the task to finish and return its result as the given type.
	 * @param timeout how long to wait
	 * @param type the type to convert the result to
	 * @param <R> the type
	 * @return the converted result
	 * @throws TaskFailedException when the task failed
	 * @throws TaskRevokedException when the task was revoked or expired
	 * @throws TaskTimeoutException when the task is not done in time
	 */
	<R> @Nullable R get(Duration timeout, Class<R> type);

	/**
	 * The raw result of the latest state: the return value for SUCCESS, the exception
	 * ({@code exc_type}, {@code exc_message}, {@code exc_module}) for FAILURE, RETRY and REVOKED,
	 * the meta of a custom state such as PROGRESS, {@code null} while pending.
	 * @return the raw JSON value
	 */
	@Nullable Object result();

	/**
	 * The latest stored state with its result, traceback and completion time, read from the
	 * backend in one go (the single accessors read it each time).
	 * @return the task meta; PENDING when the backend knows nothing of the task yet
	 */
	ResultMeta meta();

	/** The traceback stored with a FAILURE or RETRY, or {@code null}. */
	@Nullable String traceback();

	/** When the task reached its final state, or {@code null}. */
	@Nullable Instant dateDone();

	/** Delete the task's result from the backend. */
	void forget();

	/**
	 * A future completed with the result when the task succeeds, and exceptionally with
	 * {@link TaskFailedException} or {@link TaskRevokedException} otherwise. It completes on
	 * the common pool, never on a thread of the result backend.
	 * <p>
	 * The future listens to the backend until it completes, or until it is cancelled, timed
	 * out or completed by the caller. A future that is dropped before it completes stops
	 * listening once it is garbage collected; callbacks and stages chained on it keep it until
	 * it completes. {@link CompletableFuture#allOf} and {@link CompletableFuture#anyOf} do not
	 * keep the futures given to them: hold those futures, or give them a timeout first.
	 * @return the future; add a timeout with {@link CompletableFuture#orTimeout}
	 */
	CompletableFuture<T> toCompletableFuture();

}
