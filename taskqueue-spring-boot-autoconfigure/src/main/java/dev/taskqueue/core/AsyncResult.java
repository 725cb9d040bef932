package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/**
 * The state and result of a sent task, read from the result backend (Celery's
 * {@code AsyncResult}). State accessors read the backend on each call; {@link #get(Duration)}
 * waits for a final state without polling and throws when the task did not succeed;
 * {@link #await(Duration)} waits the same way and returns the final state whatever it is
 * (Celery's {@code get(propagate=False)}).
 *
 * @param <T> the type the result is converted to
 */
public interface AsyncResult<T> {

	/**
	 * Return the task id.
	 * @return the task id
	 */
	String id();

	/**
	 * Return the latest state; PENDING when the backend knows nothing of the task yet.
	 * @return the latest state
	 */
	TaskState state();

	/**
	 * Return whether the task reached a final state: SUCCESS, FAILURE or REVOKED.
	 * @return whether the task is ready
	 */
	boolean ready();

	/**
	 * Return whether the task ended in SUCCESS.
	 * @return whether the task succeeded
	 */
	boolean successful();

	/**
	 * Return whether the task ended in FAILURE.
	 * @return whether the task failed
	 */
	boolean failed();

	/**
	 * Wait for the task to finish and return its result.
	 * @param timeout how long to wait
	 * @return the result converted to {@code T}
	 * @throws TaskFailedException when the task failed
	 * @throws TaskRevokedException when the task was revoked or expired
	 * @throws TaskTimeoutException when the task is not done in time
	 * @throws TaskInterruptedException when the waiting thread is interrupted
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
	 * Wait for the task to finish and return its result as the given generic type, such as
	 * {@code new ParameterizedTypeReference<List<Order>>() {}}.
	 * @param timeout how long to wait
	 * @param type the type to convert the result to
	 * @param <R> the type
	 * @return the converted result
	 * @throws TaskFailedException when the task failed
	 * @throws TaskRevokedException when the task was revoked or expired
	 * @throws TaskTimeoutException when the task is not done in time
	 */
	<R> @Nullable R get(Duration timeout, ParameterizedTypeReference<R> type);

	/**
	 * Wait for the task to finish and return its result, calling {@code onUpdate} with each
	 * state the task stores on the way, as Celery's {@code get(on_message=...)}: the state
	 * stored when the call starts (unless PENDING), then every later one, each once and in
	 * order, such as STARTED, PROGRESS with its meta, RETRY with its exception, and the final
	 * SUCCESS, FAILURE or REVOKED, with which it is called before this method returns or throws.
	 * States stored before the call are not told, except the latest one.
	 * <p>
	 * Each state comes as a {@link TaskResult}: its {@link TaskResult#state() state} and raw
	 * {@link TaskResult#result() result} as {@link #result()} reads it (the meta of PROGRESS).
	 * The callback runs on a thread of the result backend, one state at a time, and must not
	 * block: it holds up the states of other tasks (with the in-memory backend, it runs on the
	 * thread that stores the state, a worker's). What it throws is logged, and it is called with
	 * the next states all the same.
	 * @param timeout how long to wait, including for the callback to be called with the final
	 * state, which the Redis and rpc backends do on a thread of theirs even for a task already
	 * done
	 * @param onUpdate called with each state
	 * @return the result converted to {@code T}
	 * @throws TaskFailedException when the task failed
	 * @throws TaskRevokedException when the task was revoked or expired
	 * @throws TaskTimeoutException when the task is not done in time
	 * @throws TaskInterruptedException when the waiting thread is interrupted
	 */
	@Nullable T get(Duration timeout, Consumer<TaskResult> onUpdate);

	/**
	 * Call {@code onUpdate} with each state of the task, without waiting: the state stored
	 * now (unless PENDING), then every later one, each once and in order, up to and including
	 * the final one, after which the subscription ends by itself. See
	 * {@link #get(Duration, Consumer)} for the states and the thread the callback runs on;
	 * the state stored now may also be told on the calling thread before this method returns.
	 * <p>
	 * Close the returned subscription to stop earlier. With a result backend that sends
	 * results as messages ({@code rpc://}), only states that reach this client are told.
	 * @param onUpdate called with each state
	 * @return the subscription, to close when no more states are wanted
	 */
	UpdateSubscription onUpdate(Consumer<TaskResult> onUpdate);

	/**
	 * Wait for the task to reach a final state and return it without throwing for FAILURE or
	 * REVOKED, as Celery's {@code get(propagate=False)}: check {@link TaskResult#state()} and
	 * read the result or the exception from the snapshot.
	 * @param timeout how long to wait
	 * @return the final state of the task
	 * @throws TaskTimeoutException when the task is not done in time
	 * @throws TaskInterruptedException when the waiting thread is interrupted
	 */
	TaskResult await(Duration timeout);

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
	 * @return the task's state; PENDING when the backend knows nothing of the task yet
	 */
	TaskResult meta();

	/**
	 * Return the traceback stored with a FAILURE or RETRY, or {@code null}.
	 * @return the traceback, or {@code null}
	 */
	@Nullable String traceback();

	/**
	 * Return when the task reached its final state, or {@code null}.
	 * @return the completion time, or {@code null}
	 */
	@Nullable Instant dateDone();

	/**
	 * Return the ids of the subtasks the task sent, empty when none (or none stored yet).
	 * @return the subtask ids
	 */
	List<String> children();

	/**
	 * Return how often the task was retried, or {@code null} when the worker does not store
	 * extended results ({@code result_extended}).
	 * @return the number of retries, or {@code null}
	 */
	@Nullable Integer retries();

	/** Delete the task's result from the backend. */
	void forget();

	/**
	 * Revoke the task: workers do not run it; one running it already lets it finish. See
	 * {@link TaskOperations#revoke(String, boolean)}.
	 * @throws dev.taskqueue.backend.ResultBackendException when the revoke cannot be kept
	 */
	void revoke();

	/**
	 * Revoke the task, and with {@code terminate} interrupt it where it runs (it then ends
	 * REVOKED with the reason {@code terminated}). See
	 * {@link TaskOperations#revoke(String, boolean)}.
	 * @param terminate whether a worker running the task interrupts it
	 * @throws dev.taskqueue.backend.ResultBackendException when the revoke cannot be kept
	 */
	void revoke(boolean terminate);

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
