package dev.taskqueue.core;

/**
 * A subscription to the states of a task, from {@link AsyncResult#onUpdate}. It ends by
 * itself once the task reached a final state and the callback was called with it; closing it
 * ends it earlier.
 */
public interface UpdateSubscription extends AutoCloseable {

	/**
	 * End the subscription: the callback is not called again, except for a call already under
	 * way. Closing it again does nothing.
	 */
	@Override
	void close();

}
