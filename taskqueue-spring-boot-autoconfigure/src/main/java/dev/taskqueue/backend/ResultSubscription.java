package dev.taskqueue.backend;

/**
 * A subscription to the states of one task.
 */
public interface ResultSubscription extends AutoCloseable {

	/** End the subscription. */
	@Override
	void close();

}
