package dev.taskqueue.broker;

import org.springframework.util.Assert;

import dev.taskqueue.routing.ExchangeType;

/**
 * An exchange of broadcast traffic, as Celery declares it: {@code celery.pidbox} (fanout, not
 * durable), {@code reply.celery.pidbox} (direct, not durable) and {@code celeryev} (topic,
 * durable; Celery makes it fanout on Redis). Never auto-deleted.
 *
 * @param name the exchange name
 * @param type the exchange type
 * @param durable whether it survives a broker restart
 */
public record BroadcastExchange(String name, ExchangeType type, boolean durable) {

	public BroadcastExchange {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(type, "'type' must not be null");
	}

}
