package dev.taskqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.RouteRule;

/**
 * Turns the {@code taskqueue.queues} and {@code taskqueue.routes} properties into the router's
 * queues and rules.
 */
final class TaskQueueRouting {

	private TaskQueueRouting() {
	}

	static DefaultTaskRouter router(TaskQueueProperties properties) {
		return new DefaultTaskRouter(properties.getDefaultQueue(), queues(properties), routes(properties),
				properties.isCreateMissingQueues(), properties.getQueueMaxPriority());
	}

	static Map<String, QueueSpec> queues(TaskQueueProperties properties) {
		Map<String, QueueSpec> queues = new LinkedHashMap<>();
		properties.getQueues().forEach((name, queue) -> queues.put(name, new QueueSpec(name,
				(queue.getExchange() != null) ? queue.getExchange() : name, queue.getExchangeType(),
				(queue.getRoutingKey() != null) ? queue.getRoutingKey() : name, queue.isDurable(),
				queue.getMaxPriority(), arguments(queue.getArguments()))
			.withDefaultMaxPriority(properties.getQueueMaxPriority())));
		return queues;
	}

	/**
	 * Queue arguments typed as py-amqp sends Python values: whole numbers as 32-bit integers
	 * when they fit and 64-bit ones otherwise, {@code true}/{@code false} as booleans, the rest
	 * as strings. RabbitMQ checks the type of arguments such as {@code x-message-ttl}.
	 * @param properties the arguments as configured, by name
	 * @return the typed arguments, in the same order
	 */
	static Map<String, Object> arguments(Map<String, String> properties) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		properties.forEach((name, value) -> arguments.put(name, typed(value)));
		return arguments;
	}

	private static Object typed(String value) {
		if (value.matches("-?\\d{1,18}")) {
			long number = Long.parseLong(value);
			return (number == (int) number) ? (Object) (int) number : (Object) number;
		}
		if (value.equals("true") || value.equals("false")) {
			return Boolean.valueOf(value);
		}
		return value;
	}

	static List<RouteRule> routes(TaskQueueProperties properties) {
		return properties.getRoutes()
			.entrySet()
			.stream()
			.map((entry) -> new RouteRule(entry.getKey(), entry.getValue().getQueue(), entry.getValue().getExchange(),
					entry.getValue().getRoutingKey()))
			.toList();
	}

}
