package dev.taskqueue.broker.amqp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.LongString;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageProperties;

/**
 * Converts header tables between this library's JSON-like values and the AMQP field table
 * the Java client writes, with the field types py-amqp writes for the same Python values:
 * strings as {@code S}, {@code None} as {@code V}, ints as {@code I} (a {@link Long} that
 * fits is narrowed to {@link Integer}: the Java client writes {@code Long} as {@code l},
 * which py-amqp reads as unsigned), floats as {@code d}, booleans as {@code t}, lists as
 * {@code A} and dicts as {@code F}. Reading turns the client's {@link LongString}s back
 * into {@link String}s.
 */
final class AmqpTables {

	private AmqpTables() {
	}

	/**
	 * The AMQP table of a header map, in the same order.
	 * @param headers the headers as the codec produced them
	 * @return a table the Java client writes with py-amqp's field types
	 */
	static Map<String, Object> toAmqp(Map<String, ?> headers) {
		Map<String, Object> table = new LinkedHashMap<>(headers.size() * 2);
		headers.forEach((name, value) -> table.put(name, toAmqpValue(value)));
		return table;
	}

	/**
	 * Return the AMQP properties of an encoded message, as kombu sets them: content type and
	 * encoding, the typed headers, delivery mode, priority, correlation id, and the reply-to
	 * and expiration when present.
	 * @param message the encoded message
	 * @return the AMQP properties
	 */
	static BasicProperties properties(EncodedMessage message) {
		MessageProperties source = message.properties();
		return new BasicProperties.Builder().contentType(emptyToNull(message.contentType()))
			.contentEncoding(emptyToNull(message.contentEncoding()))
			.headers(toAmqp(message.headers()))
			.deliveryMode(source.deliveryMode())
			.priority(source.priority())
			.correlationId(emptyToNull(source.correlationId()))
			.replyTo(source.replyTo())
			.expiration(source.expiration())
			.build();
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : null;
	}

	private static @Nullable Object toAmqpValue(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Integer || value instanceof Boolean
				|| value instanceof Double || value instanceof byte[] || value instanceof Date) {
			return value;
		}
		if (value instanceof Long number) {
			return (number == number.intValue()) ? (Object) number.intValue() : number;
		}
		if (value instanceof Short || value instanceof Byte) {
			return ((Number) value).intValue();
		}
		if (value instanceof BigInteger number) {
			return (number.bitLength() < 32) ? (Object) number.intValue()
					: (number.bitLength() < 64) ? (Object) number.longValue() : number.toString();
		}
		if (value instanceof Float || value instanceof BigDecimal) {
			return ((Number) value).doubleValue();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> table = new LinkedHashMap<>(map.size() * 2);
			map.forEach((key, item) -> table.put(String.valueOf(key), toAmqpValue(item)));
			return table;
		}
		if (value instanceof Collection<?> collection) {
			List<Object> list = new ArrayList<>(collection.size());
			collection.forEach((item) -> list.add(toAmqpValue(item)));
			return list;
		}
		if (value instanceof Object[] array) {
			return toAmqpValue(java.util.Arrays.asList(array));
		}
		if (value instanceof Instant instant) {
			return Date.from(instant);
		}
		return value.toString();
	}

	/**
	 * The headers of a received message as plain values.
	 * @param table the table the Java client read, or {@code null}
	 * @return the headers, strings as {@link String}
	 */
	static Map<String, Object> fromAmqp(@Nullable Map<String, Object> table) {
		if (table == null) {
			return new LinkedHashMap<>();
		}
		Map<String, Object> headers = new LinkedHashMap<>(table.size() * 2);
		table.forEach((name, value) -> headers.put(name, fromAmqpValue(value)));
		return headers;
	}

	private static @Nullable Object fromAmqpValue(@Nullable Object value) {
		if (value instanceof LongString text) {
			return text.toString();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> result = new LinkedHashMap<>(map.size() * 2);
			map.forEach((key, item) -> result.put(String.valueOf(key), fromAmqpValue(item)));
			return result;
		}
		if (value instanceof List<?> list) {
			List<Object> result = new ArrayList<>(list.size());
			list.forEach((item) -> result.add(fromAmqpValue(item)));
			return result;
		}
		return value;
	}

}
