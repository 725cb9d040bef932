package dev.taskqueue.protocol;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.POJONode;

/**
 * Writes values as kombu's {@code msgpack} serializer does (Python's
 * {@code msgpack.packb(value, use_bin_type=True)}), byte for byte for the same values: every
 * integer in its smallest format, floats as float 64, strings as UTF-8 {@code str} (with
 * {@code str 8} from 32 bytes), {@code byte[]} as {@code bin}, lists and maps in their order.
 * <p>
 * Other Java values (beans, records, {@code java.time} values, arrays, maps with keys that
 * are not strings) are first turned into plain values by the wire format's JSON mapper, so
 * that they arrive as they would with the {@code json} serializer: a time becomes its ISO-8601
 * text, which Python's msgpack could not even write. What Python's msgpack refuses is refused
 * here too: integers outside -2<sup>63</sup> .. 2<sup>64</sup>-1, strings that are not
 * Unicode (lone surrogates), and nesting deeper than its 511 levels.
 */
final class MsgpackWriter {

	/** Python's {@code msgpack.packb} refuses to nest deeper ({@code DEFAULT_RECURSE_LIMIT}). */
	static final int MAX_DEPTH = 511;

	private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

	private final JsonMapper mapper;

	/**
	 * Create a writer.
	 * @param mapper turns values that are not plain into plain ones
	 */
	MsgpackWriter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Write one value.
	 * @param value the value
	 * @return its msgpack bytes
	 * @throws MessageEncodingException when the value has no msgpack form
	 */
	byte[] write(@Nullable Object value) {
		try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
			value(packer, value, 0);
			return packer.toByteArray();
		}
		catch (IOException ex) {
			throw new MessageEncodingException("cannot write msgpack: " + ex.getMessage(), ex);
		}
	}

	private void value(MessagePacker packer, @Nullable Object value, int depth) throws IOException {
		if (value == null) {
			packer.packNil();
		}
		else if (value instanceof String string) {
			string(packer, string);
		}
		else if (value instanceof Boolean bool) {
			packer.packBoolean(bool);
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			packer.packLong(((Number) value).longValue());
		}
		else if (value instanceof Double number) {
			packer.packDouble(number);
		}
		else if (value instanceof Float number) {
			// the decimal a Python float would have read from this value's JSON text
			packer.packDouble(Double.parseDouble(number.toString()));
		}
		else if (value instanceof BigInteger number) {
			integer(packer, number);
		}
		else if (value instanceof BigDecimal number) {
			packer.packDouble(number.doubleValue());
		}
		else if (value instanceof byte[] bytes) {
			packer.packBinaryHeader(bytes.length);
			packer.writePayload(bytes);
		}
		else if (value instanceof Map<?, ?> map && map.keySet().stream().allMatch(String.class::isInstance)) {
			map(packer, map.entrySet().toArray(Map.Entry<?, ?>[]::new), depth + 1);
		}
		else if (value instanceof Collection<?> collection) {
			array(packer, collection.toArray(), depth + 1);
		}
		else if (value instanceof JsonNode node) {
			node(packer, node, depth);
		}
		else {
			node(packer, plain(value), depth);
		}
	}

	private JsonNode plain(Object value) {
		try {
			return this.mapper.valueToTree(value);
		}
		catch (JacksonException ex) {
			throw new MessageEncodingException(ex.getOriginalMessage(), ex);
		}
	}

	private void node(MessagePacker packer, JsonNode node, int depth) throws IOException {
		switch (node.getNodeType()) {
			case NULL, MISSING -> packer.packNil();
			case BOOLEAN -> packer.packBoolean(node.booleanValue());
			case STRING -> string(packer, node.stringValue());
			case BINARY -> value(packer, node.binaryValue(), depth);
			case NUMBER -> {
				if (node.isIntegralNumber()) {
					integer(packer, node.bigIntegerValue());
				}
				else {
					packer.packDouble(node.doubleValue());
				}
			}
			case ARRAY -> array(packer, node.values().toArray(), depth + 1);
			case OBJECT -> map(packer, node.properties().toArray(Map.Entry<?, ?>[]::new), depth + 1);
			case POJO -> {
				Object pojo = ((POJONode) node).getPojo();
				if (pojo instanceof JsonNode || !isPlain(pojo)) {
					throw new MessageEncodingException("a value of type " + pojo.getClass().getName()
							+ " has no msgpack form");
				}
				value(packer, pojo, depth);
			}
		}
	}

	private static boolean isPlain(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Boolean || value instanceof Number
				|| value instanceof byte[];
	}

	private void array(MessagePacker packer, Object[] items, int depth) throws IOException {
		checkDepth(depth);
		packer.packArrayHeader(items.length);
		for (Object item : items) {
			value(packer, item, depth);
		}
	}

	private void map(MessagePacker packer, Map.Entry<?, ?>[] entries, int depth) throws IOException {
		checkDepth(depth);
		packer.packMapHeader(entries.length);
		for (Map.Entry<?, ?> entry : entries) {
			string(packer, (String) entry.getKey());
			value(packer, entry.getValue(), depth);
		}
	}

	private static void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw new MessageEncodingException("lists and maps nest deeper than " + MAX_DEPTH
					+ " levels (a value that contains itself?)");
		}
	}

	private static void integer(MessagePacker packer, BigInteger value) throws IOException {
		if (value.compareTo(INT64_MIN) < 0 || value.compareTo(UINT64_MAX) > 0) {
			throw new MessageEncodingException("integer " + value + " is out of msgpack's range");
		}
		if (value.bitLength() < 64) {
			packer.packLong(value.longValue());
		}
		else {
			packer.packBigInteger(value);
		}
	}

	private static void string(MessagePacker packer, String value) throws IOException {
		byte[] utf8 = hasSurrogate(value) ? strictUtf8(value) : value.getBytes(StandardCharsets.UTF_8);
		packer.packRawStringHeader(utf8.length);
		packer.writePayload(utf8);
	}

	private static boolean hasSurrogate(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (Character.isSurrogate(value.charAt(i))) {
				return true;
			}
		}
		return false;
	}

	private static byte[] strictUtf8(String value) {
		try {
			ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(value));
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			throw new MessageEncodingException("a string is not valid Unicode (it has a lone surrogate)", ex);
		}
	}

}
