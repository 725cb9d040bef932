package dev.taskqueue.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.control.PidboxRequest.ReplyTo;
import dev.taskqueue.protocol.CeleryJson;

/**
 * The wire format of remote-control requests and replies: JSON bodies written as Python's
 * {@code json.dumps} writes them, with kombu's key order, and the {@code clock},
 * {@code expires} and {@code ticket} headers. What is read comes from the network: only JSON
 * is read, sizes and nesting are bounded, and anything of the wrong shape is refused with a
 * {@link PidboxMessageException}.
 */
final class PidboxCodec {

	static final String CONTENT_TYPE = "application/json";

	static final String CONTENT_ENCODING = "utf-8";

	/** The largest body read: 4 MiB, room for a {@code hello} with Celery's 50000 revoked ids. */
	static final int MAX_BODY_SIZE = 4 * 1024 * 1024;

	static final int MAX_METHOD_LENGTH = 64;

	static final int MAX_NAME_LENGTH = 255;

	static final int MAX_DESTINATIONS = 10_000;

	private static final int MAX_DEPTH = 64;

	private final JsonMapper mapper = CeleryJson.newMapper(StreamReadConstraints.builder()
		.maxNestingDepth(MAX_DEPTH)
		.maxDocumentLength(MAX_BODY_SIZE)
		.build());

	BroadcastMessage encodeRequest(PidboxRequest request, double expires) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("method", request.method());
		body.put("arguments", request.arguments());
		body.put("destination", request.destination());
		body.put("pattern", request.pattern());
		body.put("matcher", request.matcher());
		ReplyTo replyTo = request.replyTo();
		if (replyTo != null) {
			body.put("ticket", request.ticket());
			Map<String, Object> to = new LinkedHashMap<>();
			to.put("exchange", replyTo.exchange());
			to.put("routing_key", replyTo.routingKey());
			body.put("reply_to", to);
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", integer((request.clock() != null) ? request.clock() : 0L));
		headers.put("expires", expires);
		return new BroadcastMessage(headers, CONTENT_TYPE, CONTENT_ENCODING, this.mapper.writeValueAsBytes(body), true);
	}

	BroadcastMessage encodeReply(String node, @Nullable Object value, @Nullable String ticket, long clock) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put(node, value);
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("ticket", ticket);
		headers.put("clock", integer(clock));
		return new BroadcastMessage(headers, CONTENT_TYPE, CONTENT_ENCODING, this.mapper.writeValueAsBytes(body), false);
	}

	// An int where it fits, as py-amqp writes Python's int (table type 'I' rather than 'l')
	private static Object integer(long value) {
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? (Object) (int) value : value;
	}

	PidboxRequest decodeRequest(BroadcastMessage message) {
		Map<String, @Nullable Object> body = read(message);
		Object method = body.get("method");
		if (!(method instanceof String name) || name.isEmpty() || name.length() > MAX_METHOD_LENGTH) {
			throw new PidboxMessageException("'method' must be a string of 1 to " + MAX_METHOD_LENGTH + " characters");
		}
		Object arguments = body.get("arguments");
		if (arguments != null && !(arguments instanceof Map<?, ?>)) {
			throw new PidboxMessageException("'arguments' of '" + name + "' must be an object");
		}
		return new PidboxRequest(name, (arguments != null) ? stringKeys(arguments) : Map.of(),
				destination(body.get("destination")), text(body, "pattern"), text(body, "matcher"),
				text(body, "ticket"), replyTo(body.get("reply_to")), longHeader(message, "clock"));
	}

	PidboxReply decodeReply(BroadcastMessage message) {
		Map<String, @Nullable Object> body = read(message);
		Object ticket = message.headers().get("ticket");
		Object expires = message.headers().get("expires");
		return new PidboxReply((ticket instanceof String text) ? text : null, longHeader(message, "clock"),
				(expires instanceof Number number) ? number.doubleValue() : null, body);
	}

	private Map<String, @Nullable Object> read(BroadcastMessage message) {
		String contentType = message.contentType().toLowerCase(Locale.ROOT);
		int parameters = contentType.indexOf(';');
		String mediaType = (parameters >= 0) ? contentType.substring(0, parameters) : contentType;
		if (!mediaType.trim().equals(CONTENT_TYPE)) {
			throw new PidboxMessageException("content type '" + shorten(message.contentType())
					+ "' refused: only application/json is read");
		}
		String encoding = message.contentEncoding().toLowerCase(Locale.ROOT);
		if (!encoding.equals("utf-8") && !encoding.equals("utf8")) {
			throw new PidboxMessageException("content encoding '" + shorten(message.contentEncoding())
					+ "' refused: only utf-8 is read");
		}
		if (message.body().length > MAX_BODY_SIZE) {
			throw new PidboxMessageException("body of " + message.body().length + " bytes refused: more than "
					+ MAX_BODY_SIZE);
		}
		Object body;
		try {
			body = this.mapper.readValue(message.body(), Object.class);
		}
		catch (JacksonException ex) {
			throw new PidboxMessageException("body is no JSON: " + shorten(ex.getOriginalMessage()));
		}
		if (!(body instanceof Map<?, ?> map)) {
			throw new PidboxMessageException("body must be a JSON object");
		}
		return stringKeys(map);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> stringKeys(Object map) {
		// JSON object keys are always strings
		return (Map<String, @Nullable Object>) map;
	}

	private static @Nullable List<String> destination(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof List<?> list) || list.size() > MAX_DESTINATIONS) {
			throw new PidboxMessageException("'destination' must be a list of at most " + MAX_DESTINATIONS
					+ " node names");
		}
		List<String> names = new ArrayList<>(list.size());
		for (Object item : list) {
			if (!(item instanceof String name)) {
				throw new PidboxMessageException("'destination' must hold node names (strings)");
			}
			names.add(name);
		}
		return names;
	}

	private static @Nullable ReplyTo replyTo(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof Map<?, ?> map && map.get("exchange") instanceof String exchange
				&& map.get("routing_key") instanceof String routingKey && !exchange.isEmpty()
				&& exchange.length() <= MAX_NAME_LENGTH && routingKey.length() <= MAX_NAME_LENGTH) {
			return new ReplyTo(exchange, routingKey);
		}
		throw new PidboxMessageException("'reply_to' must be {\"exchange\": <name>, \"routing_key\": <key>}");
	}

	private static @Nullable String text(Map<String, @Nullable Object> body, String key) {
		Object value = body.get(key);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new PidboxMessageException("'" + key + "' must be a string or null");
	}

	private static @Nullable Long longHeader(BroadcastMessage message, String name) {
		Object value = message.headers().get(name);
		return (value instanceof Number number) ? number.longValue() : null;
	}

	static String shorten(@Nullable String text) {
		if (text == null) {
			return "";
		}
		return (text.length() > 100) ? text.substring(0, 100) + "..." : text;
	}

}
