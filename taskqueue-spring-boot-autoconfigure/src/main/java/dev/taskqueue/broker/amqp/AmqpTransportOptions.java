package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.Map;

import org.springframework.util.Assert;

import dev.taskqueue.routing.QueueSpec;

/**
 * Settings of the AMQP transport.
 *
 * @param url the broker URL with any password already masked, as reported by
 * {@link AmqpBroker#url()} and in error messages
 * @param queues the configured queues by name, declared as specified; any other queue is
 * declared as Celery creates a missing queue ({@link QueueSpec#defaults(String)})
 * @param publisherConfirms whether {@link AmqpBroker#publish} waits until RabbitMQ confirmed
 * the message (and fails when it was refused or could not be routed to any queue)
 * @param confirmTimeout the longest a publish waits, counted from the call: for a channel,
 * for RabbitMQ to stop blocking publishers, and for the confirm
 * @param maxInFlight the most messages published and not yet confirmed at once; a publish
 * waits for room beyond that
 */
public record AmqpTransportOptions(String url, Map<String, QueueSpec> queues, boolean publisherConfirms,
		Duration confirmTimeout, int maxInFlight) {

	/** The longest a publish waits by default. */
	public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	/** The most messages waiting for their confirm at once by default. */
	public static final int DEFAULT_MAX_IN_FLIGHT = 256;

	public AmqpTransportOptions {
		Assert.notNull(url, "'url' must not be null");
		Assert.notNull(queues, "'queues' must not be null");
		Assert.notNull(confirmTimeout, "'confirmTimeout' must not be null");
		Assert.isTrue(!confirmTimeout.isNegative() && !confirmTimeout.isZero(), "'confirmTimeout' must be positive");
		Assert.isTrue(maxInFlight > 0, "'maxInFlight' must be positive");
		queues = Map.copyOf(queues);
	}

	/**
	 * Settings with the default in-flight window.
	 * @param url the masked broker URL
	 * @param queues the configured queues by name
	 * @param publisherConfirms whether publishes wait for RabbitMQ's confirm
	 * @param confirmTimeout the longest a publish waits
	 */
	public AmqpTransportOptions(String url, Map<String, QueueSpec> queues, boolean publisherConfirms,
			Duration confirmTimeout) {
		this(url, queues, publisherConfirms, confirmTimeout, DEFAULT_MAX_IN_FLIGHT);
	}

	/**
	 * No configured queues, publisher confirms with a timeout of ten seconds.
	 * @param maskedUrl the broker URL with any password masked
	 * @return the options
	 */
	public static AmqpTransportOptions defaults(String maskedUrl) {
		return new AmqpTransportOptions(maskedUrl, Map.of(), true, DEFAULT_CONFIRM_TIMEOUT);
	}

	/**
	 * How a queue is declared: as configured, or as Celery creates a queue it does not know.
	 * @param name the queue name
	 * @return the queue
	 */
	QueueSpec queue(String name) {
		QueueSpec configured = this.queues.get(name);
		return (configured != null) ? configured : QueueSpec.defaults(name);
	}

}
