package dev.taskqueue.broker;

/**
 * A running consumption of one or more queues.
 */
public interface Consumption extends AutoCloseable {

	/**
	 * Stop fetching new messages. Deliveries already handed out stay valid and must still be
	 * acknowledged, requeued or dead-lettered.
	 */
	@Override
	void close();

}
