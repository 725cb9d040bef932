package dev.taskqueue.broker.amqp;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.LongString;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BroadcastMessage;

/**
 * Converts {@link BroadcastMessage}s to and from AMQP as kombu's {@code Producer.publish} and
 * {@code Message} do: content type and encoding, the header table typed as py-amqp types it
 * ({@link AmqpTables}), delivery mode 2 or 1, priority 0 and nothing else. A received message
 * without a content type is {@code application/data}, without an encoding {@code utf-8}, as
 * kombu reads them. Received header values become plain Java values: long strings and byte
 * arrays {@link String}s, timestamps epoch seconds, decimals {@link BigDecimal}s.
 */
final class AmqpBroadcastMessages {

	/** The largest body taken; a pidbox reply or a batch of events is far smaller. */
	static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

	/** How deep header tables and arrays may nest. */
	static final int MAX_HEADER_DEPTH = 32;

	private static final int PERSISTENT = 2;

	private static final int TRANSIENT = 1;

	private AmqpBroadcastMessages() {
	}

	/**
	 * The AMQP properties of a broadcast message.
	 * @param message the message
	 * @return its properties, as kombu sets them
	 */
	static BasicProperties properties(BroadcastMessage message) {
		return new BasicProperties.Builder().contentType(message.contentType())
			.contentEncoding(message.contentEncoding())
			.headers(AmqpTables.toAmqp(message.headers()))
			.deliveryMode(message.persistent() ? PERSISTENT : TRANSIENT)
			.priority(0)
			.build();
	}

	/**
	 * Read a received message.
	 * @param properties its properties
	 * @param body its body
	 * @return the message
	 * @throws IllegalArgumentException when it is too large or its headers nest too deep
	 */
	static BroadcastMessage read(@Nullable BasicProperties properties, byte[] body) {
		if (body.length > MAX_BODY_BYTES) {
			throw new IllegalArgumentException(
					"its body has " + body.length + " bytes, more than the " + MAX_BODY_BYTES + " taken");
		}
		String contentType = (properties != null) ? properties.getContentType() : null;
		String contentEncoding = (properties != null) ? properties.getContentEncoding() : null;
		Map<String, Object> table = (properties != null) ? properties.getHeaders() : null;
		Map<String, Object> headers = (table != null) ? plainTable(table, 0) : Map.of();
		Integer deliveryMode = (properties != null) ? properties.getDeliveryMode() : null;
		return new BroadcastMessage(headers, hasText(contentType) ? contentType : "application/data",
				hasText(contentEncoding) ? contentEncoding : "utf-8", body,
				deliveryMode != null && deliveryMode == PERSISTENT);
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	private static Map<String, Object> plainTable(Map<?, ?> table, int depth) {
		Map<String, Object> plain = new LinkedHashMap<>(table.size() * 2);
		table.forEach((name, value) -> plain.put(String.valueOf(name), plain(value, depth + 1)));
		return plain;
	}

	private static @Nullable Object plain(@Nullable Object value, int depth) {
		if (depth > MAX_HEADER_DEPTH) {
			throw new IllegalArgumentException("its headers nest deeper than " + MAX_HEADER_DEPTH + " levels");
		}
		if (value instanceof LongString text) {
			return text.toString();
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (value instanceof Date date) {
			return date.getTime() / 1000;
		}
		if (value instanceof Map<?, ?> map) {
			return plainTable(map, depth);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> plain = new ArrayList<>(list.size());
			for (Object item : list) {
				plain.add(plain(item, depth + 1));
			}
			return plain;
		}
		return value;
	}

}
