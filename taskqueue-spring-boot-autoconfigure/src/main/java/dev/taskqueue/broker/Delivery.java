package dev.taskqueue.broker;

import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessage;

/**
 * One message handed to a consumer. Exactly one of {@link #ack()}, {@link #requeue()} or
 * {@link #deadLetter(String)} must be called, from any thread; implementations ignore every
 * settlement after the first.
 */
public interface Delivery {

	/**
	 * The decoded task message.
	 * @return the message
	 * @throws MessageDecodingException when the bytes are not a valid task message
	 */
	TaskMessage message();

	/**
	 * Return the queue the message was taken from.
	 * @return the queue name
	 */
	String queue();

	/**
	 * Return whether the broker delivered this message before.
	 * @return whether the message is redelivered
	 */
	boolean redelivered();

	/**
	 * How many times the broker has delivered this message, this delivery included: 1 the
	 * first time. A delivery that ended without being settled (its consumer died or lost its
	 * connection) counts; one given back with {@link #requeue()} does not, so that a worker
	 * that stops, or holds a task for its ETA across restarts, does not use up the message's
	 * deliveries. The count survives the death of the consumer; a transport that cannot tell
	 * answers 1. Transports only count: what a high count means is the worker's decision.
	 * @return the number of deliveries, at least 1
	 */
	int deliveryCount();

	/**
	 * Whether the delivery can still be settled. A delivery stops being valid when the broker
	 * has given the message back to its queue on its own, for example because the channel it
	 * came on was closed by a lost connection; the message will be delivered again, so a worker
	 * must not run it.
	 * @return whether the delivery is still valid
	 */
	default boolean valid() {
		return true;
	}

	/**
	 * Stop counting this delivery against the prefetch limit: the worker holds it unsettled
	 * until a later time (its ETA), and other messages should keep coming meanwhile, as
	 * Celery's worker raises its QoS window by one for each ETA task it holds.
	 * {@link #resume()}, or settling the delivery, counts it again.
	 * @return whether the transport did so; {@code false} leaves the delivery in the window
	 */
	default boolean defer() {
		return false;
	}

	/**
	 * Count a {@link #defer() deferred} delivery against the prefetch limit again, as its time
	 * has come; nothing happens when it was not deferred.
	 */
	default void resume() {
	}

	/** Remove the message: it was handled. */
	void ack();

	/**
	 * Give the message back to the broker, to be delivered again; this delivery does not
	 * count in the next one's {@link #deliveryCount()} where the transport can tell.
	 */
	void requeue();

	/**
	 * Move the message to the broker's dead-letter place, with the reason, and remove it from
	 * the queue.
	 * @param reason why the message cannot be handled
	 */
	void deadLetter(String reason);

}
