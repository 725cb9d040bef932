package dev.taskqueue.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * The context of publishing one task message. Its carrier is the map of headers a
 * propagator adds to the message (such as {@code traceparent}): they are sent as custom
 * headers of the task message, where Celery keeps them in the task's request.
 */
public class TaskPublishContext extends SenderContext<Map<String, Object>> {

	private final TaskMessage message;

	private final Destination destination;

	/**
	 * Create a context.
	 * @param message the message to publish
	 * @param destination where it goes
	 */
	public TaskPublishContext(TaskMessage message, Destination destination) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		this.message = message;
		this.destination = destination;
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName("celery");
	}

	/**
	 * Return the message published.
	 * @return the message
	 */
	public TaskMessage getMessage() {
		return this.message;
	}

	/**
	 * Return where the message goes.
	 * @return the destination
	 */
	public Destination getDestination() {
		return this.destination;
	}

	/**
	 * Return the headers propagators added, to send with the message.
	 * @return the headers, in order
	 */
	public Map<String, Object> getPropagatedHeaders() {
		Map<String, Object> carrier = getCarrier();
		return (carrier != null) ? carrier : Map.of();
	}

}
