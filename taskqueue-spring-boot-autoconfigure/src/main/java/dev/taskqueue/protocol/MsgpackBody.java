package dev.taskqueue.protocol;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads kombu's {@code msgpack} bodies ({@code application/x-msgpack}, packed by Python with
 * {@code use_bin_type=True}) into the same plain values as JSON: {@code null},
 * {@link Boolean}, {@link Integer}/{@link Long}/{@link BigInteger}, {@link Double},
 * {@link String}, {@link List}, {@link LinkedHashMap}. Binary values become {@code byte[]};
 * map keys that are not strings are turned into strings; extension types are refused.
 */
final class MsgpackBody {

	private static final MessagePack.UnpackerConfig CONFIG = new MessagePack.UnpackerConfig()
		.withActionOnMalformedString(CodingErrorAction.REPORT)
		.withActionOnUnmappableString(CodingErrorAction.REPORT);

	private MsgpackBody() {
	}

	/**
	 * Read one msgpack value that fills the whole body.
	 * @param body the bytes
	 * @return the value
	 * @throws MessageDecodingException when the bytes are not one valid msgpack value
	 */
	static @Nullable Object read(byte[] body) {
		try (MessageUnpacker unpacker = CONFIG.newUnpacker(body)) {
			if (!unpacker.hasNext()) {
				throw new MessageDecodingException("Invalid msgpack body: the body is empty");
			}
			Object value = value(unpacker);
			if (unpacker.hasNext()) {
				throw new MessageDecodingException("Invalid msgpack body: unexpected data after the first value");
			}
			return value;
		}
		catch (IOException | MessagePackException ex) {
			throw new MessageDecodingException("Invalid msgpack body: " + ex.getMessage(), ex);
		}
	}

	private static @Nullable Object value(MessageUnpacker unpacker) throws IOException {
		MessageFormat format = unpacker.getNextFormat();
		return switch (format.getValueType()) {
			case NIL -> {
				unpacker.unpackNil();
				yield null;
			}
			case BOOLEAN -> unpacker.unpackBoolean();
			case INTEGER -> integer(unpacker, format);
			case FLOAT -> unpacker.unpackDouble();
			case STRING -> unpacker.unpackString();
			case BINARY -> unpacker.readPayload(unpacker.unpackBinaryHeader());
			case ARRAY -> array(unpacker);
			case MAP -> map(unpacker);
			case EXTENSION -> throw new MessageDecodingException(
					"Invalid msgpack body: extension type " + unpacker.unpackExtensionTypeHeader().getType()
							+ " is not supported");
		};
	}

	private static Number integer(MessageUnpacker unpacker, MessageFormat format) throws IOException {
		if (format == MessageFormat.UINT64) {
			BigInteger value = unpacker.unpackBigInteger();
			return (value.bitLength() < 64) ? (Number) value.longValue() : value;
		}
		long value = unpacker.unpackLong();
		return (value == (int) value) ? (Number) (int) value : (Number) value;
	}

	private static List<Object> array(MessageUnpacker unpacker) throws IOException {
		int size = unpacker.unpackArrayHeader();
		List<Object> list = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			list.add(value(unpacker));
		}
		return list;
	}

	private static Map<String, Object> map(MessageUnpacker unpacker) throws IOException {
		int size = unpacker.unpackMapHeader();
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			Object key = value(unpacker);
			map.put((key instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(key), value(unpacker));
		}
		return map;
	}

}
