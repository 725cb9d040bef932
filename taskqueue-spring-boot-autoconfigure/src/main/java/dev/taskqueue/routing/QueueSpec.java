package dev.taskqueue.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A queue as Celery declares it (kombu's {@code Queue}): its exchange, binding key, durability,
 * maximum priority and other arguments ({@code queue_arguments}, such as
 * {@code x-queue-type: quorum}). Declarations must match the Python side's exactly, or RabbitMQ
 * refuses the second declarer with {@code PRECONDITION_FAILED}.
 *
 * @param name the queue name
 * @param exchange the exchange it is bound to
 * @param exchangeType the type of that exchange
 * @param routingKey the binding key
 * @param durable whether the queue and its exchange survive a broker restart
 * @param maxPriority the {@code x-max-priority} argument, or {@code null} for none
 * @param arguments the other arguments of the queue declaration
 */
public record QueueSpec(String name, String exchange, ExchangeType exchangeType, String routingKey, boolean durable,
		@Nullable Integer maxPriority, Map<String, Object> arguments) {

	private static final String QUEUE_TYPE = "x-queue-type";

	public QueueSpec {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(exchangeType, "'exchangeType' must not be null");
		Assert.notNull(routingKey, "'routingKey' must not be null");
		Assert.isTrue(maxPriority == null || (maxPriority >= 1 && maxPriority <= 255),
				"'maxPriority' must be between 1 and 255");
		Assert.notNull(arguments, "'arguments' must not be null");
		Assert.isTrue(!arguments.containsKey("x-max-priority"),
				() -> "Queue '" + name + "': set its maximum priority as max-priority, not as an argument");
		arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
		if (isQuorum(arguments)) {
			Assert.isTrue(durable, () -> "Queue '" + name + "': a quorum queue is always durable");
			Assert.isNull(maxPriority, () -> "Queue '" + name + "': a quorum queue has no x-max-priority");
		}
	}

	/**
	 * A queue declared without other arguments.
	 */
	public QueueSpec(String name, String exchange, ExchangeType exchangeType, String routingKey, boolean durable,
			@Nullable Integer maxPriority) {
		this(name, exchange, exchangeType, routingKey, durable, maxPriority, Map.of());
	}

	/**
	 * Whether this is a quorum queue ({@code x-queue-type: quorum}), which RabbitMQ consumes
	 * with a per-consumer prefetch only.
	 */
	public boolean quorum() {
		return isQuorum(this.arguments);
	}

	/**
	 * This queue with Celery's {@code task_queue_max_priority} applied: the given maximum
	 * priority when it sets none and is not a quorum queue, which has no priorities.
	 * @param defaultMaxPriority the default, or {@code null} for none
	 * @return the queue
	 */
	public QueueSpec withDefaultMaxPriority(@Nullable Integer defaultMaxPriority) {
		if (this.maxPriority != null || defaultMaxPriority == null || quorum()) {
			return this;
		}
		return new QueueSpec(this.name, this.exchange, this.exchangeType, this.routingKey, this.durable,
				defaultMaxPriority, this.arguments);
	}

	private static boolean isQuorum(Map<String, Object> arguments) {
		return "quorum".equals(arguments.get(QUEUE_TYPE));
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
