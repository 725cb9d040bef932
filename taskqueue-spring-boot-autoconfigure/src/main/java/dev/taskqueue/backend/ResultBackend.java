package dev.taskqueue.backend;

import java.util.List;

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
	 * Whether this backend joins chords itself, as Celery's Redis backend does: header members
	 * report with {@link #addChordPart} and the one that completes the chord sends the body.
	 * Backends that do not ({@code rpc://}) refuse chords when they are sent.
	 * @return whether chords are supported
	 */
	default boolean supportsChords() {
		return false;
	}

	/**
	 * Set the number of results a chord waits for (Celery's {@code set_chord_size}: the key
	 * {@code celery-taskset-meta-<group id>.s}), before its header members are sent.
	 * @param groupId the id of the chord's header group
	 * @param size the number of header results
	 * @throws UnsupportedOperationException when the backend does not support chords
	 * @throws ResultBackendException when the backend cannot store it
	 */
	default void setChordSize(String groupId, int size) {
		throw new UnsupportedOperationException(url() + " does not support chords");
	}

	/**
	 * Record the final state of one chord header member (Celery's
	 * {@code on_chord_part_return}), atomically with counting the parts recorded. Exactly one
	 * call sees the chord complete: the one whose part makes the count reach the size.
	 * @param groupId the id of the chord's header group
	 * @param groupIndex the member's position in the header, or {@code null} when unknown
	 * @param part the member's final state and result
	 * @return every part, in member order, when this part completed the chord; else
	 * {@code null}
	 * @throws UnsupportedOperationException when the backend does not support chords
	 * @throws ResultBackendException when the backend cannot record it
	 */
	default @Nullable List<ChordPart> addChordPart(String groupId, @Nullable Integer groupIndex, ChordPart part) {
		throw new UnsupportedOperationException(url() + " does not support chords");
	}

	/**
	 * Delete the bookkeeping of a completed chord (the {@code .j}, {@code .t} and {@code .s}
	 * keys).
	 * @param groupId the id of the chord's header group
	 */
	default void deleteChord(String groupId) {
	}

	/**
	 * Save a group's result tuple (Celery's {@code GroupResult.save()}:
	 * {@code celery-taskset-meta-<group id>} holding {@code {"result": tuple}}).
	 * @param groupId the group id
	 * @param resultTuple the group's {@code [[group_id, null], [member tuples]]}
	 * @throws UnsupportedOperationException when the backend does not keep groups
	 * @throws ResultBackendException when the backend cannot store it
	 */
	default void saveGroup(String groupId, List<?> resultTuple) {
		throw new UnsupportedOperationException(url() + " does not keep groups");
	}

	/**
	 * Read a group saved with {@link #saveGroup}, by Java or by Python.
	 * @param groupId the group id
	 * @return the group's result tuple, or {@code null} when none is saved
	 * @throws UnsupportedOperationException when the backend does not keep groups
	 * @throws ResultBackendException when the backend cannot read it
	 */
	default @Nullable List<Object> restoreGroup(String groupId) {
		throw new UnsupportedOperationException(url() + " does not keep groups");
	}

	/**
	 * Delete a saved group (not its members' results).
	 * @param groupId the group id
	 */
	default void forgetGroup(String groupId) {
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

}
