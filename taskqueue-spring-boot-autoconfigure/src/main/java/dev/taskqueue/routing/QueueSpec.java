package dev.taskqueue.routing;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A queue as Celery declares it (kombu's {@code Queue}): its exchange, binding key, durability
 * and maximum priority. Declarations must match the Python side's exactly, or RabbitMQ refuses
 * the second declarer with {@code PRECONDITION_FAILED}.
 *
 * @param name the queue name
 * @param exchange the exchange it is bound to
 * @param exchangeType the type of that exchange
 * @param routingKey the binding key
 * @param durable whether the queue and its exchange survive a broker restart
 * @param maxPriority the {@code x-max-priority} argument, or {@code null} for none
 */
public record QueueSpec(String name, String exchange, ExchangeType exchangeType, String routingKey, boolean durable,
		@Nullable Integer maxPriority) {

	public QueueSpec {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(exchangeType, "'exchangeType' must not be null");
		Assert.notNull(routingKey, "'routingKey' must not be null");
		Assert.isTrue(maxPriority == null || (maxPriority >= 1 && maxPriority <= 255),
				"'maxPriority' must be between 1 and 255");
	}

	/**
	 * The queue Celery creates for a name it does not know (task_create_missing_queues): a
	 * durable queue bound to a durable direct exchange of the same name, with its name as key.
	 * @param name the queue name
	 * @return the queue
	 */
	public static QueueSpec defaults(String name) {
		return new QueueSpec(name, name, ExchangeType.DIRECT, name, true, null);
	}

}
