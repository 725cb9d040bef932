package dev.taskqueue.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The results of a group of tasks (Celery's {@code GroupResult}): one {@link AsyncResult} per
 * member, in member order. State accessors read the backend on each call.
 */
public interface GroupResult {

	/**
	 * Return the group id, which every member's result carries as {@code group_id}.
	 * @return the group id
	 */
	String id();

	/**
	 * Return the members' results, in member order.
	 * @return the members' results
	 */
	List<AsyncResult<Object>> results();

	/**
	 * Return whether every member reached a final state.
	 * @return whether the group is ready
	 */
	boolean ready();

	/**
	 * Return whether every member ended in SUCCESS.
	 * @return whether the group succeeded
	 */
	boolean successful();

	/**
	 * Return whether a member ended in FAILURE.
	 * @return whether a member failed
	 */
	boolean failed();

	/**
	 * Return how many members ended in SUCCESS (Celery's {@code completed_count()}).
	 * @return the number of members that succeeded
	 */
	int completedCount();

	/**
	 * Wait for every member and return their results in member order (Celery's
	 * {@code join()}).
	 * @param timeout how long to wait for all of them together
	 * @return the results, in member order
	 * @throws TaskFailedException when a member failed (the first failed one in member order)
	 * @throws TaskRevokedException when a member was revoked
	 * @throws TaskTimeoutException when the members are not all done in time
	 */
	List<@Nullable Object> join(Duration timeout);

	/**
	 * Wait for every member and return their results converted to a type; see
	 * {@link #join(Duration)}.
	 * @param timeout how long to wait for all of them together
	 * @param type the type to convert each result to
	 * @param <R> the type
	 * @return the converted results, in member order
	 */
	<R> List<@Nullable R> join(Duration timeout, Class<R> type);

	/**
	 * Save the group in the result backend, so that any client can
	 * {@link TaskOperations#groupResult(String) restore} it, Python's
	 * {@code GroupResult.restore(id)} included (Redis: {@code celery-taskset-meta-<id>}).
	 * @throws UnsupportedOperationException when the backend does not keep groups
	 * ({@code rpc://})
	 */
	void save();

	/** Delete the saved group and the members' results from the backend. */
	void forget();

	/** Revoke every member; see {@link TaskOperations#revoke(String, boolean)}. */
	void revoke();

}
