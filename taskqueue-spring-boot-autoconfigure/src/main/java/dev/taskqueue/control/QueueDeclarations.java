package dev.taskqueue.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.worker.WorkerControl;

/**
 * How the queues the worker consumes are declared, for {@code active_queues}: as the
 * application declares them, as {@code add_consumer} named them, or else as Celery creates a
 * queue it does not know (a direct exchange and key of the queue's name). Items have the
 * shape of kombu's {@code Queue.as_dict(recurse=True)}.
 */
final class QueueDeclarations {

	private final Map<String, QueueSpec> declared = new ConcurrentHashMap<>();

	QueueDeclarations(Collection<QueueSpec> declared) {
		declared.forEach(this::added);
	}

	void added(QueueSpec queue) {
		this.declared.put(queue.name(), queue);
	}

	List<Map<String, @Nullable Object>> activeQueues(WorkerControl worker) {
		List<Map<String, @Nullable Object>> queues = new ArrayList<>();
		for (String name : worker.queues()) {
			queues.add(asDict(this.declared.getOrDefault(name, QueueSpec.defaults(name))));
		}
		return queues;
	}

	static Map<String, @Nullable Object> asDict(QueueSpec queue) {
		Map<String, @Nullable Object> exchange = new LinkedHashMap<>();
		exchange.put("name", queue.exchange());
		exchange.put("type", queue.exchangeType().wireName());
		exchange.put("arguments", null);
		exchange.put("durable", queue.durable());
		exchange.put("passive", false);
		exchange.put("auto_delete", false);
		exchange.put("delivery_mode", null);
		exchange.put("no_declare", false);
		Map<String, @Nullable Object> dict = new LinkedHashMap<>();
		dict.put("name", queue.name());
		dict.put("exchange", exchange);
		dict.put("routing_key", queue.routingKey());
		dict.put("queue_arguments", queue.arguments().isEmpty() ? null : new LinkedHashMap<>(queue.arguments()));
		dict.put("binding_arguments", null);
		dict.put("consumer_arguments", null);
		dict.put("durable", queue.durable());
		dict.put("exclusive", false);
		dict.put("auto_delete", false);
		dict.put("no_ack", false);
		dict.put("alias", null);
		dict.put("bindings", List.of());
		dict.put("no_declare", null);
		dict.put("expires", null);
		dict.put("message_ttl", null);
		dict.put("max_length", null);
		dict.put("max_length_bytes", null);
		dict.put("max_priority", queue.maxPriority());
		return dict;
	}

}
