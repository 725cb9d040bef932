package dev.taskqueue.broker;

import java.util.List;

/**
 * Optional operations a {@link Broker} offers for operators and tests: how many messages wait
 * in a queue, and the messages a worker moved aside because it could not handle them. Each
 * queue has its own dead letters (kept where the transport keeps them, such as the list or
 * queue {@code <queue>.dead-letter}).
 */
public interface BrokerAdmin {

	/**
	 * The number of messages waiting in a queue, not yet delivered to any consumer.
	 * @param queue the queue name
	 * @return the number of messages, 0 when the queue does not exist
	 * @throws BrokerException when the broker cannot be reached
	 */
	long size(String queue);

	/**
	 * The number of dead letters of a queue. By default the size of the queue
	 * {@code <queue>.dead-letter}, where the Redis and RabbitMQ transports keep them.
	 * @param queue the queue whose dead letters to count
	 * @return the number of dead letters
	 * @throws BrokerException when the broker cannot be reached
	 */
	default long deadLetterCount(String queue) {
		return size(queue + ".dead-letter");
	}

	/**
	 * Read the dead letters of a queue, oldest first, without removing them.
	 * @param queue the queue whose dead letters to read
	 * @param limit the most dead letters to return
	 * @return the dead letters, none when the queue never had any
	 * @throws BrokerException when the broker cannot be reached
	 */
	List<DeadLetter> deadLetters(String queue, int limit);

	/**
	 * Move the dead letter of a task back onto the queue it was taken from, as a new message
	 * behind those waiting.
	 * @param queue the queue the dead letter was taken from
	 * @param taskId the id of the task
	 * @return {@code true} when it was requeued, {@code false} when the queue has no dead
	 * letter for that task
	 * @throws BrokerException when the broker cannot be reached
	 */
	boolean requeueDeadLetter(String queue, String taskId);

}
