package dev.taskqueue.routing;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Where a message is published: an exchange and a routing key. The default exchange
 * ({@code ""}) delivers straight to the queue named by the routing key, as Celery does for
 * plain queues.
 *
 * @param exchange the exchange name, {@code ""} for the default exchange
 * @param routingKey the routing key
 * @param queue the queue the route resolved to, which brokers that declare entities declare
 * before they publish (as Celery producers do), or {@code null} when the route names only an
 * exchange
 */
public record Destination(String exchange, String routingKey, @Nullable QueueSpec queue) {

	public Destination {
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(routingKey, "'routingKey' must not be null");
		Assert.isTrue(!exchange.isEmpty() || !routingKey.isEmpty(), "A routing key is required on the default exchange");
	}

	/**
	 * A destination with no queue to declare.
	 * @param exchange the exchange name, {@code ""} for the default exchange
	 * @param routingKey the routing key
	 */
	public Destination(String exchange, String routingKey) {
		this(exchange, routingKey, null);
	}

	/**
	 * The destination of a plain queue: the default exchange with the queue name as key.
	 * @param queue the queue name
	 * @return the destination
	 */
	public static Destination queue(String queue) {
		return queue(QueueSpec.defaults(queue));
	}

	/**
	 * The destination of a queue: the default exchange with the queue name as key (Celery's
	 * publishing to direct queues), declaring the queue as specified.
	 * @param queue the queue
	 * @return the destination
	 */
	public static Destination queue(QueueSpec queue) {
		return new Destination("", queue.name(), queue);
	}

	/** Whether the message goes straight to the queue named by the routing key. */
	public boolean isDirectToQueue() {
		return this.exchange.isEmpty();
	}

}
