package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A queue a worker consumes, as kombu's {@code Queue.as_dict(recurse=True)} in the reply of
 * {@code active_queues}.
 *
 * @param name the queue name
 * @param exchange the exchange's name
 * @param exchangeType the exchange's type, such as {@code direct}
 * @param routingKey the binding's routing key
 * @param durable whether the queue is durable
 * @param autoDelete whether the queue is deleted when no longer used
 * @param exclusive whether the queue is exclusive
 * @param raw the object as received, with any key not modelled here
 */
public record ActiveQueue(String name, @Nullable String exchange, @Nullable String exchangeType,
		@Nullable String routingKey, boolean durable, boolean autoDelete, boolean exclusive,
		Map<String, @Nullable Object> raw) {
}
