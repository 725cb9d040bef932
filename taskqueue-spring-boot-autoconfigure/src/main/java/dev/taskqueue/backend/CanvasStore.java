package dev.taskqueue.backend;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The chords a result backend joins and the groups it keeps, as Celery's Redis backend does:
 * a chord's size is set before its header is sent, each header member reports its part with
 * {@link #addChordPart} and the one that completes the chord sends the body; a group saved
 * here can be restored by any client, Java or Python. See {@link ResultBackend#canvasStore()}.
 * Implementations are thread-safe.
 */
public interface CanvasStore {

	/**
	 * Set the number of results a chord waits for (Celery's {@code set_chord_size}: the key
	 * {@code celery-taskset-meta-<group id>.s}), before its header members are sent.
	 * @param groupId the id of the chord's header group
	 * @param size the number of header results
	 * @throws ResultBackendException when the backend cannot store it
	 */
	void setChordSize(String groupId, int size);

	/**
	 * Record the final state of one chord header member (Celery's
	 * {@code on_chord_part_return}), atomically with counting the parts recorded. Exactly one
	 * call sees the chord complete: the one whose part makes the count reach the size.
	 * @param groupId the id of the chord's header group
	 * @param groupIndex the member's position in the header, or {@code null} when unknown
	 * @param part the member's final state and result
	 * @return every part, in member order, when this part completed the chord; else
	 * {@code null}
	 * @throws ResultBackendException when the backend cannot record it
	 */
	@Nullable List<ChordPart> addChordPart(String groupId, @Nullable Integer groupIndex, ChordPart part);

	/**
	 * Delete the bookkeeping of a completed chord (the {@code .j}, {@code .t} and {@code .s}
	 * keys).
	 * @param groupId the id of the chord's header group
	 */
	void deleteChord(String groupId);

	/**
	 * Save a group's result tuple (Celery's {@code GroupResult.save()}:
	 * {@code celery-taskset-meta-<group id>} holding {@code {"result": tuple}}).
	 * @param groupId the group id
	 * @param resultTuple the group's {@code [[group_id, null], [member tuples]]}
	 * @throws ResultBackendException when the backend cannot store it
	 */
	void saveGroup(String groupId, List<?> resultTuple);

	/**
	 * Read a group saved with {@link #saveGroup}, by Java or by Python.
	 * @param groupId the group id
	 * @return the group's result tuple, or {@code null} when none is saved
	 * @throws ResultBackendException when the backend cannot read it
	 */
	@Nullable List<Object> restoreGroup(String groupId);

	/**
	 * Delete a saved group (not its members' results).
	 * @param groupId the group id
	 */
	void forgetGroup(String groupId);

}
