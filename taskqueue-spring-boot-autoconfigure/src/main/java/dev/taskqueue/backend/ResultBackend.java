package dev.taskqueue.backend;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ResultMeta;

/**
 * Where workers store task states and results and where clients read them. Implementations
 * are thread-safe and follow Celery's rule that a stored SUCCESS is never overwritten.
 */
public interface ResultBackend {

	/**
	 * Store a state. Does nothing when the task already has a SUCCESS.
	 * @param meta the state and result
	 * @throws ResultBackendException when the backend cannot store it
	 */
	void store(ResultMeta meta);

	/**
	 * Store a state of a task whose message named a reply queue. Backends that send results
	 * back as messages (Celery's {@code rpc://}) need it; the others store as usual.
	 * @param meta the state and result
	 * @param replyTo the {@code reply_to} property of the task message, or {@code null}
	 * @throws ResultBackendException when the backend cannot store it
	 */
	default void store(ResultMeta meta, @Nullable String replyTo) {
		store(meta);
	}

	/**
	 * The reply queue that clients of this backend put in {@code reply_to} so that results reach
	 * them, or {@code null} when results do not travel back as messages.
	 * @return the reply queue name, or {@code null}
	 */
	default @Nullable String replyTo() {
		return null;
	}

	/**
	 * Read the latest state of a task.
	 * @param taskId the task id
	 * @return the meta, PENDING when the backend knows nothing of the task
	 */
	ResultMeta get(String taskId);

	/**
	 * Delete what the backend knows of a task.
	 * @param taskId the task id
	 */
	void forget(String taskId);

	/**
	 * Be told of every state stored for a task from now on, without polling. The listener is
	 * called on the backend's threads and must not block.
	 * @param taskId the task id
	 * @param listener receives each new state
	 * @return a handle that ends the subscription
	 */
	ResultSubscription subscribe(String taskId, ResultListener listener);

	/**
	 * Be told of the state stored for a task when this is called, unless there is none
	 * (PENDING), and of every state stored after it: each state once, in the order stored. A
	 * state stored while the subscription starts is not told twice, even though it is both read
	 * and received. The listener is called on the backend's threads, or for the stored state on
	 * the calling thread before this method returns, and must not block.
	 * <p>
	 * The default subscribes, reads the stored state with {@link #get}, holds what arrives in
	 * between, and tells the stored state unless it arrived in between too; when a backend
	 * might tell it later still, the first later state equal to it is dropped. Backends that
	 * can order the read with what they tell (all of this library's) override it.
	 * @param taskId the task id
	 * @param listener receives the stored state, then each new state
	 * @return a handle that ends the subscription
	 * @throws ResultBackendException when the backend cannot subscribe or read the state
	 */
	default ResultSubscription follow(String taskId, ResultListener listener) {
		return HeldStates.follow(this, taskId, listener);
	}

	/**
	 * The chords this backend joins and the groups it keeps, as Celery's Redis backend does:
	 * chord header members report with {@link CanvasStore#addChordPart} and the one that
	 * completes the chord sends the body. Without one, chords are refused when they are sent and
	 * groups cannot be saved or restored.
	 * @return the canvas store, or {@code null} when the backend neither joins chords nor keeps
	 * groups, as Celery's {@code rpc://} backend
	 */
	default @Nullable CanvasStore canvasStore() {
		return null;
	}

	/**
	 * Return the backend URL with any password masked.
	 * @return the masked backend URL
	 */
	String url();

	/**
	 * Check that the backend answers, for health checks.
	 * @throws ResultBackendException when it does not
	 */
	default void ping() {
	}

	/**
	 * Check that the backend answers, as {@link #ping()} does, and describe the server that
	 * answered, for health details.
	 * @return the server, such as {@code master 127.0.0.1:6380}, or {@code null} when the
	 * backend does not tell
	 * @throws ResultBackendException when it does not answer
	 */
	default @Nullable String pingServer() {
		ping();
		return null;
	}

}
