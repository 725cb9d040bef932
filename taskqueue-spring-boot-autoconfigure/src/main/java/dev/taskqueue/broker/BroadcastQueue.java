package dev.taskqueue.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * A transient queue bound to a {@link BroadcastExchange}, as Celery declares the queues of
 * its mailboxes and event receivers: not durable, deleted once no longer consumed, with
 * arguments such as {@code x-expires} and {@code x-message-ttl}.
 *
 * @param name the queue name, such as {@code celery@host.celery.pidbox}
 * @param bindingKey the binding key: {@code ""} on a fanout exchange, a pattern such as
 * {@code #} or {@code worker.*} on a topic exchange, the routing key on a direct exchange
 * @param arguments the declaration's arguments (RabbitMQ only)
 */
public record BroadcastQueue(String name, String bindingKey, Map<String, Object> arguments) {

	public BroadcastQueue {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(bindingKey, "'bindingKey' must not be null");
		Assert.notNull(arguments, "'arguments' must not be null");
		arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
	}

}
