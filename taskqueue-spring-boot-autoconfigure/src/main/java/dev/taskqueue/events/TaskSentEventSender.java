package dev.taskqueue.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskPublishListener;
import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * A client's {@code task-sent} event for each task message published, as Celery sends it
 * with {@code task_send_sent_event=True}: {@code uuid}, {@code root_id}, {@code parent_id},
 * {@code name}, {@code args}, {@code kwargs}, {@code retries}, {@code eta}, {@code expires},
 * {@code queue}, {@code exchange} and {@code routing_key}, sent as the client's node
 * ({@code gen<pid>@host}) on its own, not in a batch. Returns at once and never throws.
 */
public final class TaskSentEventSender implements TaskPublishListener {

	private static final Log logger = LogFactory.getLog(TaskSentEventSender.class);

	private final EventDispatcher dispatcher;

	/**
	 * Create the {@code task-sent} events of a client.
	 * @param dispatcher sends the events, as the client's node name
	 */
	public TaskSentEventSender(EventDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public void published(TaskMessage message, Destination destination, Duration elapsed) {
		try {
			this.dispatcher.send("task-sent", fields(message, destination));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send task-sent for task " + message.id(), ex);
		}
	}

	static Map<String, @Nullable Object> fields(TaskMessage message, Destination destination) {
		TaskHeaders headers = message.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", headers.id());
		fields.put("root_id", headers.rootId());
		fields.put("parent_id", headers.parentId());
		fields.put("name", headers.task());
		fields.put("args", message.argsrepr());
		fields.put("kwargs", message.kwargsrepr());
		fields.put("retries", headers.retries());
		fields.put("eta", (headers.eta() != null) ? CeleryTime.format(headers.eta()) : null);
		fields.put("expires", (headers.expires() != null) ? CeleryTime.format(headers.expires()) : null);
		fields.put("queue", queueOf(destination));
		fields.put("exchange", destination.exchange());
		fields.put("routing_key", destination.routingKey());
		return fields;
	}

	// Celery names the queue the route resolved to; a route to an exchange alone names none.
	private static @Nullable String queueOf(Destination destination) {
		if (destination.queue() != null) {
			return destination.queue().name();
		}
		return destination.isDirectToQueue() ? destination.routingKey() : null;
	}

}
