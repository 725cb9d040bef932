package dev.taskqueue.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.CeleryJson;

/**
 * The events Celery 5.2.6 sent in the captures under
 * {@code src/test/resources/celery-fixtures/events/<broker>}: one file per event type, with
 * the event, its routing key and headers as seen on Redis or RabbitMQ.
 */
final class EventFixtures {

	private EventFixtures() {
	}

	static Captured load(String broker, String type) {
		String path = "/celery-fixtures/events/" + broker + "/" + type + ".json";
		try (InputStream in = EventFixtures.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + path);
			}
			Map<String, Object> message = map(map(CeleryJson.newMapper().readValue(in, Object.class)).get("message"));
			Map<String, Object> whole = message.containsKey("batch_message") ? map(message.get("batch_message"))
					: message;
			Object decoded = whole.get("body_decoded");
			Map<String, Object> event = message.containsKey("event") ? map(message.get("event"))
					: (decoded instanceof List<?> list) ? map(list.get(0)) : map(decoded);
			return new Captured(event, routingKey(whole), headers(whole), decoded instanceof List<?>);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String routingKey(Map<String, Object> message) {
		if (message.containsKey("envelope")) {
			return (String) map(map(map(message.get("envelope")).get("properties")).get("delivery_info"))
				.get("routing_key");
		}
		return (String) map(message.get("delivery_info")).get("routing_key");
	}

	private static Map<String, Object> headers(Map<String, Object> message) {
		if (message.containsKey("envelope")) {
			return map(map(message.get("envelope")).get("headers"));
		}
		return map(map(message.get("properties_pyamqp")).get("application_headers"));
	}

	/**
	 * The JSON types of an event's values, as Python names them, in field order: a Java event
	 * matches a captured one when these are equal.
	 * @param event the event
	 * @return one {@code name:type} string per field
	 */
	static List<String> shape(Map<String, Object> event) {
		List<String> shape = new ArrayList<>();
		event.forEach((name, value) -> shape.add(name + ":" + pythonType(value)));
		return shape;
	}

	static String pythonType(Object value) {
		if (value == null) {
			return "None";
		}
		if (value instanceof Double || value instanceof Float) {
			return "float";
		}
		if (value instanceof Number) {
			return "int";
		}
		if (value instanceof Boolean) {
			return "bool";
		}
		if (value instanceof String) {
			return "str";
		}
		if (value instanceof List<?> list) {
			return "list[" + String.join(",", list.stream().map(EventFixtures::pythonType).toList()) + "]";
		}
		return "dict";
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	/**
	 * An event as Celery sent it.
	 *
	 * @param event the event
	 * @param routingKey its routing key, {@code task.multi} for a batch
	 * @param headers the message headers
	 * @param batched whether it came in a list
	 */
	record Captured(Map<String, Object> event, String routingKey, Map<String, Object> headers, boolean batched) {
	}

}
