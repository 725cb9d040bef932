package dev.taskqueue.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.MessageDecodingException;

/**
 * Reads the untrusted body of an event message: JSON only, size-limited before parsing, one
 * event object or a list of them ({@code task.multi}), each an object with a string
 * {@code type}.
 */
final class EventBodies {

	private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
		.maxNestingDepth(32)
		.maxStringLength(1024 * 1024)
		.maxNumberLength(100)
		.build();

	private final JsonMapper mapper = CeleryJson.newMapper(CONSTRAINTS);

	private final int maxBodySize;

	EventBodies(int maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	/**
	 * Read the events of a message.
	 * @param message the message
	 * @return the events, in order
	 * @throws MalformedEventException when the message is not a valid event body
	 */
	List<Map<String, Object>> read(BroadcastMessage message) {
		if (!message.contentType().equalsIgnoreCase("application/json")) {
			throw new MalformedEventException("content type " + message.contentType() + " is not application/json");
		}
		if (message.body().length > this.maxBodySize) {
			throw new MalformedEventException(
					"body of " + message.body().length + " bytes is over the limit of " + this.maxBodySize);
		}
		Object body;
		try {
			body = this.mapper.readValue(message.body(), Object.class);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException("body is not JSON: " + ex.getOriginalMessage());
		}
		List<Map<String, Object>> events = new ArrayList<>();
		if (body instanceof List<?> list) {
			for (Object element : list) {
				events.add(event(element));
			}
		}
		else {
			events.add(event(body));
		}
		return events;
	}

	private static Map<String, Object> event(Object value) {
		if (!(value instanceof Map<?, ?> map) || !(map.get("type") instanceof String)) {
			throw new MalformedEventException("an event is not an object with a string 'type'");
		}
		Map<String, Object> event = new LinkedHashMap<>();
		map.forEach((key, field) -> event.put(String.valueOf(key), field));
		return event;
	}

	/**
	 * A message that is not an event body.
	 */
	static final class MalformedEventException extends MessageDecodingException {

		private static final long serialVersionUID = 1L;

		MalformedEventException(String message) {
			super(message);
		}

	}

}
