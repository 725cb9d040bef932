package dev.taskqueue.broker;

/**
 * A message broker speaking one of kombu's transports. Implementations are thread-safe and
 * own their connections; they add no task semantics (retries, ETA and expiry belong to the
 * worker).
 */
public interface Broker {

	/**
	 * Publish a message and return once the broker has taken it.
	 * @param message the message and where to send it
	 * @throws BrokerException when the broker did not take the message
	 */
	void publish(OutboundMessage message);

	/**
	 * Start consuming the given queues. Deliveries arrive on the broker's threads; no more than
	 * {@link ConsumerSettings#prefetch()} deliveries are outstanding (neither acknowledged,
	 * requeued nor dead-lettered) at any time.
	 * @param settings the queues and the prefetch limit
	 * @param handler receives each delivery
	 * @return a handle that stops the consumption
	 */
	Consumption consume(ConsumerSettings settings, DeliveryHandler handler);

	/**
	 * Check that the broker answers.
	 * @throws BrokerException when it does not
	 */
	void ping();

	/**
	 * Return the broker URL with any password masked.
	 * @return the masked broker URL
	 */
	String url();

}
