package dev.taskqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.RouteRule;
import dev.taskqueue.routing.TaskRouter;

/**
 * Turns the {@code taskqueue.queues} and {@code taskqueue.routes} properties into the router's
 * queues and rules.
 */
final class TaskQueueRouting {

	private TaskQueueRouting() {
	}

	static TaskRouter router(TaskQueueProperties properties) {
		return new TaskRouter(properties.getDefaultQueue(), queues(properties), routes(properties),
				properties.isCreateMissingQueues(), properties.getQueueMaxPriority());
	}

	static Map<String, QueueSpec> queues(TaskQueueProperties properties) {
		Map<String, QueueSpec> queues = new LinkedHashMap<>();
		properties.getQueues().forEach((name, queue) -> queues.put(name, new QueueSpec(name,
				(queue.getExchange() != null) ? queue.getExchange() : name, queue.getExchangeType(),
				(queue.getRoutingKey() != null) ? queue.getRoutingKey() : name, queue.isDurable(),
				(queue.getMaxPriority() != null) ? queue.getMaxPriority() : properties.getQueueMaxPriority())));
		return queues;
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
