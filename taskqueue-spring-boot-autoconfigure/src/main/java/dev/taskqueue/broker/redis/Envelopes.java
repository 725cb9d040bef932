package dev.taskqueue.broker.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
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

	/** The most header names kept pre-encoded. */
	private static final int MAX_HEADER_NAMES = 256;

	private static final Map<String, SerializedString> HEADER_NAMES = new ConcurrentHashMap<>();

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
		return write(message.body(), message.contentEncoding(), message.contentType(), message.headers(),
				(generator) -> {
					stringProperty(generator, "correlation_id", source.correlationId());
					if (source.replyTo() != null) {
						stringProperty(generator, "reply_to", source.replyTo());
					}
					numberProperty(generator, "delivery_mode", source.deliveryMode());
					if (source.expiration() != null) {
						stringProperty(generator, "expiration", source.expiration());
					}
					writeDeliveryInfo(generator, destination.exchange(), destination.routingKey());
					numberProperty(generator, "priority", source.priority());
					stringProperty(generator, "body_encoding", "base64");
					stringProperty(generator, "delivery_tag", deliveryTag);
				});
	}

	/**
	 * Write an envelope with the generator API rather than through maps: the publish path
	 * runs this for every message.
	 * @param body the message body, written in base64
	 * @param contentEncoding the content encoding
	 * @param contentType the content type
	 * @param headers the message headers
	 * @param properties writes the entries of {@code properties}
	 * @return the envelope as JSON bytes
	 */
	private byte[] write(byte[] body, String contentEncoding, String contentType, Map<String, ?> headers,
			Consumer<JsonGenerator> properties) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length * 4 / 3 + 32 * headers.size());
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
			generator.writeStartObject();
			writeName(generator, "body");
			// base64 needs no escaping: written as it is
			byte[] base64 = Base64.getEncoder().encode(body);
			generator.writeRawUTF8String(base64, 0, base64.length);
			stringProperty(generator, "content-encoding", contentEncoding);
			stringProperty(generator, "content-type", contentType);
			writeName(generator, "headers");
			writeHeaders(generator, headers);
			writeName(generator, "properties");
			generator.writeStartObject();
			properties.accept(generator);
			generator.writeEndObject();
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	// the common header values directly, anything else with the mapper's serializers
	private static void writeHeaders(JsonGenerator generator, Map<String, ?> headers) {
		generator.writeStartObject();
		for (Map.Entry<String, ?> header : headers.entrySet()) {
			writeName(generator, header.getKey());
			Object value = header.getValue();
			if (value == null) {
				generator.writeNull();
			}
			else if (value instanceof String text) {
				generator.writeString(text);
			}
			else if (value instanceof Integer number) {
				generator.writeNumber(number.intValue());
			}
			else if (value instanceof Long number) {
				generator.writeNumber(number.longValue());
			}
			else if (value instanceof Boolean flag) {
				generator.writeBoolean(flag);
			}
			else {
				generator.writePOJO(value);
			}
		}
		generator.writeEndObject();
	}

	// "name": "value"
	private static void stringProperty(JsonGenerator generator, String name, @Nullable String value) {
		writeName(generator, name);
		generator.writeString(value);
	}

	// "name": number
	private static void numberProperty(JsonGenerator generator, String name, int value) {
		writeName(generator, name);
		generator.writeNumber(value);
	}

	// header names are few and repeat: written pre-encoded when they need no escaping
	private static void writeName(JsonGenerator generator, String name) {
		SerializedString encoded = HEADER_NAMES.get(name);
		if (encoded == null && HEADER_NAMES.size() < MAX_HEADER_NAMES && isPlainAscii(name)) {
			encoded = HEADER_NAMES.computeIfAbsent(name, SerializedString::new);
		}
		if (encoded != null) {
			generator.writeName(encoded);
		}
		else {
			generator.writeName(name);
		}
	}

	// printable ASCII without quote or backslash: the same bytes escaped or not
	private static boolean isPlainAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	// delivery_info: {"exchange": ..., "routing_key": ...}
	private static void writeDeliveryInfo(JsonGenerator generator, String exchange, String routingKey) {
		writeName(generator, "delivery_info");
		generator.writeStartObject();
		stringProperty(generator, "exchange", exchange);
		stringProperty(generator, "routing_key", routingKey);
		generator.writeEndObject();
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
		return write(message.body(), message.contentEncoding(), message.contentType(), message.headers(),
				(generator) -> {
					numberProperty(generator, "delivery_mode", message.persistent() ? 2 : 1);
					writeDeliveryInfo(generator, exchange, routingKey);
					numberProperty(generator, "priority", 0);
					stringProperty(generator, "body_encoding", "base64");
					stringProperty(generator, "delivery_tag", deliveryTag);
				});
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
