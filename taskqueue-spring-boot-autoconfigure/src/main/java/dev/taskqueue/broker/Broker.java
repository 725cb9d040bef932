package dev.taskqueue.broker;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

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
	 * Publish a message without waiting for the broker to take it, so that many messages are
	 * on their way at once. The returned future completes once the broker has taken the
	 * message (with publisher confirms, once RabbitMQ confirmed it), or exceptionally with a
	 * {@link BrokerException} saying why it was not taken and whether it was sent. Brokers
	 * bound the messages on their way: when that many wait for the broker, this call waits
	 * for room (back-pressure), no longer than the broker's publish timeout.
	 * <p>
	 * The future may complete on the broker's I/O thread: what depends on it must not block.
	 * This default publishes at once, as {@link #publish} does.
	 * @param message the message and where to send it
	 * @return the future of the publication
	 */
	default CompletableFuture<Void> publishAsync(OutboundMessage message) {
		try {
			publish(message);
			return CompletableFuture.completedFuture(null);
		}
		catch (BrokerException | UnsupportedOperationException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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
	 * Check that the broker answers, as {@link #ping()} does, and describe the server that
	 * answered, for health details: after a failover it tells which server the connection
	 * follows.
	 * @return the server, such as {@code master 127.0.0.1:6380}, or {@code null} when the
	 * transport does not tell
	 * @throws BrokerException when the broker does not answer
	 */
	default @Nullable String pingServer() {
		ping();
		return null;
	}

	/**
	 * Return the broker URL with any password masked.
	 * @return the masked broker URL
	 */
	String url();

}
