package dev.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageProperties;
import dev.taskqueue.routing.Destination;

/**
 * Kombu's Redis message envelope (a JSON text): written on publish exactly as kombu's
 * virtual channel writes it, read back into an {@link EncodedMessage} (tasks) or a
 * {@link BroadcastMessage} (pidbox and events), and marked redelivered on restore as kombu
 * does, in Python's {@code json.dumps} layout.
 */
final class Envelopes {

	/** The largest broadcast envelope read, in bytes (pidbox replies and events are small). */
	static final int MAX_BROADCAST_SIZE = 16 * 1024 * 1024;

	private final JsonMapper mapper = CeleryJson.newMapper();

	/** Keeps numbers as they were written when an envelope is rewritten. */
	private final JsonMapper exactMapper = this.mapper.rebuild()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	/**
	 * Return the envelope of a message: {@code body} (base64), {@code content-encoding},
	 * {@code content-type}, {@code headers} and {@code properties} in kombu's order.
	 * @param message the encoded message
	 * @param destination the exchange and routing key it is published to
	 * @param deliveryTag the delivery tag of the message
	 * @return the envelope as JSON bytes
	 */
	byte[] write(EncodedMessage message, Destination destination, String deliveryTag) {
		MessageProperties source = message.properties();
		Map<String, Object> deliveryInfo = new LinkedHashMap<>(4);
		deliveryInfo.put("exchange", destination.exchange());
		deliveryInfo.put("routing_key", destination.routingKey());
		Map<String, Object> properties = new LinkedHashMap<>(16);
		properties.put("correlation_id", source.correlationId());
		if (source.replyTo() != null) {
			properties.put("reply_to", source.replyTo());
		}
		properties.put("delivery_mode", source.deliveryMode());
		if (source.expiration() != null) {
			properties.put("expiration", source.expiration());
		}
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", source.priority());
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", deliveryTag);
		Map<String, Object> envelope = new LinkedHashMap<>(8);
		envelope.put("body", Base64.getEncoder().encodeToString(message.body()));
		envelope.put("content-encoding", message.contentEncoding());
		envelope.put("content-type", message.contentType());
		envelope.put("headers", message.headers());
		envelope.put("properties", properties);
		return this.mapper.writeValueAsBytes(envelope);
	}

	/**
	 * Read an envelope.
	 * @param raw the envelope bytes
	 * @return the message
	 * @throws EnvelopeException when it is not a valid envelope
	 */
	EncodedMessage read(byte[] raw) {
		Map<String, Object> envelope = object(parse(raw), "the envelope");
		Object body = envelope.get("body");
		if (!(body instanceof String text)) {
			throw new EnvelopeException("the envelope has no 'body' text");
		}
		Map<String, Object> properties = object(envelope.get("properties"), "'properties'");
		Object headerValue = envelope.get("headers");
		Map<String, Object> headers = (headerValue != null) ? object(headerValue, "'headers'") : new LinkedHashMap<>();
		byte[] bytes = body(text, properties.get("body_encoding"));
		Object id = headers.get("id");
		String correlationId = text(properties.get("correlation_id"), (id instanceof String s) ? s : "");
		MessageProperties messageProperties = new MessageProperties(correlationId,
				text(properties.get("reply_to"), null), integer(properties.get("delivery_mode"), 2),
				integer(properties.get("priority"), 0), text(properties.get("expiration"), null));
		return new EncodedMessage(headers, messageProperties, text(envelope.get("content-type"), ""),
				text(envelope.get("content-encoding"), "utf-8"), bytes);
	}

	/**
	 * Return the envelope of a broadcast message as kombu's virtual channel writes it for
	 * {@code basic_publish} to a named exchange: {@code body} (base64),
	 * {@code content-encoding}, {@code content-type}, {@code headers} and {@code properties}
	 * ({@code delivery_mode}, {@code delivery_info}, {@code priority} 0, {@code body_encoding},
	 * {@code delivery_tag}).
	 * @param message the message
	 * @param exchange the exchange it is published to
	 * @param routingKey the routing key it is published with
	 * @param deliveryTag the delivery tag of the message
	 * @return the envelope as JSON bytes
	 */
	byte[] writeBroadcast(BroadcastMessage message, String exchange, String routingKey, String deliveryTag) {
		Map<String, Object> deliveryInfo = new LinkedHashMap<>(4);
		deliveryInfo.put("exchange", exchange);
		deliveryInfo.put("routing_key", routingKey);
		Map<String, Object> properties = new LinkedHashMap<>(8);
		properties.put("delivery_mode", message.persistent() ? 2 : 1);
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", deliveryTag);
		Map<String, Object> envelope = new LinkedHashMap<>(8);
		envelope.put("body", Base64.getEncoder().encodeToString(message.body()));
		envelope.put("content-encoding", message.contentEncoding());
		envelope.put("content-type", message.contentType());
		envelope.put("headers", message.headers());
		envelope.put("properties", properties);
		return this.mapper.writeValueAsBytes(envelope);
	}

	/**
	 * Read the envelope of a broadcast message. Whoever can reach the broker writes these, so
	 * the size is checked before anything is parsed.
	 * @param raw the envelope bytes
	 * @return the message and the routing key its {@code delivery_info} names, if any
	 * @throws EnvelopeException when it is too large or not a valid envelope
	 */
	Broadcast readBroadcast(byte[] raw) {
		if (raw.length > MAX_BROADCAST_SIZE) {
			throw new EnvelopeException(
					"the envelope has " + raw.length + " bytes, over the limit of " + MAX_BROADCAST_SIZE);
		}
		Map<String, Object> envelope = object(parse(raw), "the envelope");
		if (!(envelope.get("body") instanceof String text)) {
			throw new EnvelopeException("the envelope has no 'body' text");
		}
		Map<String, Object> properties = object(envelope.get("properties"), "'properties'");
		Object headerValue = envelope.get("headers");
		Map<String, Object> headers = (headerValue != null) ? object(headerValue, "'headers'") : Map.of();
		byte[] body = body(text, properties.get("body_encoding"));
		String contentType = text(envelope.get("content-type"), null);
		if (contentType == null || contentType.isEmpty()) {
			throw new EnvelopeException("the envelope has no 'content-type'");
		}
		String contentEncoding = text(envelope.get("content-encoding"), null);
		BroadcastMessage message = new BroadcastMessage(headers, contentType,
				(contentEncoding == null || contentEncoding.isEmpty()) ? "utf-8" : contentEncoding, body,
				integer(properties.get("delivery_mode"), 2) == 2);
		String routingKey = (properties.get("delivery_info") instanceof Map<?, ?> info
				&& info.get("routing_key") instanceof String key) ? key : null;
		return new Broadcast(routingKey, message);
	}

	/**
	 * Return the envelope with {@code headers.redelivered} and
	 * {@code properties.delivery_info.redelivered} set to {@code true}, as kombu's
	 * {@code _do_restore_message} writes it; the text unchanged when it is not JSON.
	 * @param raw the envelope text
	 * @return the envelope marked redelivered and its priority
	 */
	Restored redelivered(String raw) {
		try {
			return redelivered(this.exactMapper.readTree(raw));
		}
		catch (JacksonException ex) {
			return new Restored(raw, 0);
		}
	}

	/**
	 * Read an {@code unacked} hash value ({@code [envelope, exchange, routing key]}) and
	 * mark its envelope redelivered.
	 * @param value the hash value
	 * @return the entry, or {@code null} when the value has another shape
	 */
	@Nullable Unacked unacked(String value) {
		try {
			JsonNode entry = this.exactMapper.readTree(value);
			if (!entry.isArray() || entry.size() != 3 || !entry.get(0).isObject() || !entry.get(1).isString()
					|| !entry.get(2).isString()) {
				return null;
			}
			return new Unacked(redelivered(entry.get(0)), entry.get(1).asString(), entry.get(2).asString());
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private Restored redelivered(JsonNode envelope) {
		int priority = 0;
		if (envelope instanceof ObjectNode object) {
			if (object.get("headers") instanceof ObjectNode headers) {
				headers.put("redelivered", true);
			}
			if (object.get("properties") instanceof ObjectNode properties) {
				if (properties.get("delivery_info") instanceof ObjectNode info) {
					info.put("redelivered", true);
				}
				JsonNode value = properties.get("priority");
				priority = (value != null && value.isNumber()) ? value.asInt() : 0;
			}
		}
		return new Restored(this.exactMapper.writeValueAsString(envelope), priority);
	}

	/**
	 * Return a dead-letter record: {@code {"queue", "reason", "time", "envelope"}}.
	 * @param queue the queue the message came from
	 * @param reason why the message is dead-lettered
	 * @param time when it was dead-lettered
	 * @param raw the envelope text
	 * @return the record as JSON
	 */
	String deadLetter(String queue, String reason, Instant time, String raw) {
		Map<String, Object> record = new LinkedHashMap<>(8);
		record.put("queue", queue);
		record.put("reason", reason);
		record.put("time", time.toString());
		record.put("envelope", raw);
		return this.mapper.writeValueAsString(record);
	}

	/**
	 * Read a dead-letter record; the task id and name come from the envelope's headers when it
	 * has them.
	 * @param record the record as JSON
	 * @return the dead letter
	 */
	DeadLetter readDeadLetter(String record) {
		Map<String, Object> map = object(parse(RedisKeys.bytes(record)), "the dead letter");
		Object time = map.get("time");
		String envelope = text(map.get("envelope"), "");
		JsonNode headers = headers(envelope);
		return new DeadLetter(text(map.get("queue"), ""), text(map.get("reason"), ""),
				(time instanceof String s) ? Instant.parse(s) : null, textOf(headers.get("id")),
				textOf(headers.get("task")), RedisKeys.bytes(envelope));
	}

	private JsonNode headers(String envelope) {
		try {
			return this.mapper.readTree(envelope).path("headers");
		}
		catch (JacksonException ex) {
			return this.mapper.missingNode();
		}
	}

	private static @Nullable String textOf(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.asString() : null;
	}

	/**
	 * Return whether the envelope says it was delivered before: {@code headers.redelivered}
	 * or {@code properties.delivery_info.redelivered}, as kombu sets them on restore.
	 * @param raw the envelope bytes
	 * @return whether the message is redelivered
	 */
	boolean isRedelivered(byte[] raw) {
		try {
			JsonNode envelope = this.mapper.readTree(raw);
			return envelope.path("headers").path("redelivered").asBoolean(false)
					|| envelope.path("properties").path("delivery_info").path("redelivered").asBoolean(false);
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * Return the delivery tag of an envelope marked redelivered in its headers, as kombu
	 * marks what it restores.
	 * @param raw the envelope text
	 * @return the delivery tag, or {@code null} when the envelope is not marked or has none
	 */
	@Nullable String redeliveredTag(String raw) {
		try {
			JsonNode envelope = this.mapper.readTree(raw);
			if (!envelope.path("headers").path("redelivered").asBoolean(false)) {
				return null;
			}
			return textOf(envelope.path("properties").get("delivery_tag"));
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static byte[] body(String text, @Nullable Object bodyEncoding) {
		if ("base64".equals(bodyEncoding)) {
			try {
				return Base64.getDecoder().decode(text);
			}
			catch (IllegalArgumentException ex) {
				throw new EnvelopeException("the body is not valid base64 (" + ex.getMessage() + ")");
			}
		}
		if (bodyEncoding == null || "utf-8".equals(bodyEncoding)) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		throw new EnvelopeException("unknown body_encoding '" + bodyEncoding + "'");
	}

	private Object parse(byte[] raw) {
		try {
			return this.mapper.readValue(raw, Object.class);
		}
		catch (JacksonException ex) {
			throw new EnvelopeException("not JSON (" + ex.getOriginalMessage() + ")");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> object(@Nullable Object value, String what) {
		if (value instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new EnvelopeException(what + " is not a JSON object");
	}

	private static @Nullable String text(@Nullable Object value, @Nullable String fallback) {
		if (value == null) {
			return fallback;
		}
		return (value instanceof String s) ? s : value.toString();
	}

	private static int integer(@Nullable Object value, int fallback) {
		return (value instanceof Number number) ? number.intValue() : fallback;
	}

	/**
	 * A broadcast message read from its envelope.
	 * @param routingKey the routing key of its {@code delivery_info}, or {@code null} when it
	 * has none
	 * @param message the message
	 */
	record Broadcast(@Nullable String routingKey, BroadcastMessage message) {
	}

	/**
	 * An envelope marked redelivered and the priority it carries.
	 * @param envelope the envelope text
	 * @param priority the priority of the message
	 */
	record Restored(String envelope, int priority) {
	}

	/**
	 * An entry of the {@code unacked} hash, its envelope marked redelivered.
	 * @param message the envelope marked redelivered
	 * @param exchange the exchange it was published to
	 * @param routingKey the routing key it was published with
	 */
	record Unacked(Restored message, String exchange, String routingKey) {
	}

	/** The text is not a valid kombu envelope; the message says why. */
	static final class EnvelopeException extends RuntimeException {

		EnvelopeException(String message) {
			super(message);
		}

	}

}
