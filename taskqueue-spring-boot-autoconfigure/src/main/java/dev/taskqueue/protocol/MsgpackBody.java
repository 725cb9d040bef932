package dev.taskqueue.protocol;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads kombu's {@code msgpack} bodies ({@code application/x-msgpack}, packed by Python with
 * {@code use_bin_type=True}) into the same plain values as JSON: {@code null},
 * {@link Boolean}, {@link Integer}/{@link Long}/{@link BigInteger}, {@link Double},
 * {@link String}, {@link List}, {@link LinkedHashMap}. Binary values become {@code byte[]};
 * map keys that are not strings are turned into strings; extension types are refused.
 * <p>
 * The input is untrusted: a declared array, map, string or binary length is checked against
 * the bytes that remain before anything is allocated for it (every element takes at least one
 * byte), and nesting deeper than the limit is refused.
 */
final class MsgpackBody {

	private static final MessagePack.UnpackerConfig CONFIG = new MessagePack.UnpackerConfig()
		.withActionOnMalformedString(CodingErrorAction.REPORT)
		.withActionOnUnmappableString(CodingErrorAction.REPORT);

	private MsgpackBody() {
	}

	/**
	 * Read one msgpack value that fills the whole body, nested no deeper than the default limit.
	 * @param body the bytes
	 * @return the value
	 * @throws MessageDecodingException when the bytes are not one valid msgpack value
	 */
	static @Nullable Object read(byte[] body) {
		return read(body, InboundLimits.DEFAULTS);
	}

	/**
	 * Read one msgpack value that fills the whole body.
	 * @param body the bytes
	 * @param limits the deepest nesting allowed
	 * @return the value
	 * @throws MessageDecodingException when the bytes are not one valid msgpack value, or
	 * declare more than they hold, or nest too deep
	 */
	static @Nullable Object read(byte[] body, InboundLimits limits) {
		try (MessageUnpacker unpacker = CONFIG.newUnpacker(body)) {
			if (!unpacker.hasNext()) {
				throw new MessageDecodingException("Invalid msgpack body: the body is empty");
			}
			Object value = new Reader(unpacker, body.length, limits).value(0);
			if (unpacker.hasNext()) {
				throw new MessageDecodingException("Invalid msgpack body: unexpected data after the first value");
			}
			return value;
		}
		catch (MessageSizeException ex) {
			throw new MessageDecodingException("Invalid msgpack body: a value declares " + ex.getSize()
					+ " bytes but far fewer bytes follow", ex);
		}
		catch (IOException | MessagePackException ex) {
			throw new MessageDecodingException("Invalid msgpack body: " + ex.getMessage(), ex);
		}
	}

	/** One pass over a body, knowing how many bytes remain. */
	private record Reader(MessageUnpacker unpacker, int length, InboundLimits limits) {

		@Nullable Object value(int depth) throws IOException {
			MessageFormat format = this.unpacker.getNextFormat();
			return switch (format.getValueType()) {
				case NIL -> {
					this.unpacker.unpackNil();
					yield null;
				}
				case BOOLEAN -> this.unpacker.unpackBoolean();
				case INTEGER -> integer(format);
				case FLOAT -> this.unpacker.unpackDouble();
				case STRING -> string();
				case BINARY -> this.unpacker.readPayload(declared(this.unpacker.unpackBinaryHeader(), 1, "binary"));
				case ARRAY -> array(depth + 1);
				case MAP -> map(depth + 1);
				case EXTENSION -> throw new MessageDecodingException(
						"Invalid msgpack body: extension type " + this.unpacker.unpackExtensionTypeHeader().getType()
								+ " is not supported");
			};
		}

		private Number integer(MessageFormat format) throws IOException {
			if (format == MessageFormat.UINT64) {
				BigInteger value = this.unpacker.unpackBigInteger();
				return (value.bitLength() < 64) ? (Number) value.longValue() : value;
			}
			long value = this.unpacker.unpackLong();
			return (value == (int) value) ? (Number) (int) value : (Number) value;
		}

		private String string() throws IOException {
			int size = declared(this.unpacker.unpackRawStringHeader(), 1, "string");
			byte[] bytes = this.unpacker.readPayload(size);
			try {
				return StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes))
					.toString();
			}
			catch (CharacterCodingException ex) {
				throw new MessageDecodingException("Invalid msgpack body: a string is not valid UTF-8", ex);
			}
		}

		private List<Object> array(int depth) throws IOException {
			checkDepth(depth);
			int size = declared(this.unpacker.unpackArrayHeader(), 1, "array");
			List<Object> list = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				list.add(value(depth));
			}
			return list;
		}

		private Map<String, Object> map(int depth) throws IOException {
			checkDepth(depth);
			int size = declared(this.unpacker.unpackMapHeader(), 2, "map");
			Map<String, Object> map = new LinkedHashMap<>();
			for (int i = 0; i < size; i++) {
				Object key = value(depth);
				map.put((key instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
						: String.valueOf(key), value(depth));
			}
			return map;
		}

		private void checkDepth(int depth) {
			if (depth > this.limits.maxDepth()) {
				throw new MessageDecodingException(this.limits.tooDeep());
			}
		}

		/**
		 * Check a declared length, refused when the bytes left cannot hold it.
		 * @param size the declared number of elements
		 * @param bytesEach the fewest bytes each element takes
		 * @param what what declares the length, for the message
		 * @return the declared length
		 */
		private int declared(int size, int bytesEach, String what) {
			long remaining = this.length - this.unpacker.getTotalReadBytes();
			if (size < 0 || (long) size * bytesEach > remaining) {
				throw new MessageDecodingException("Invalid msgpack body: " + what + " declares "
						+ Integer.toUnsignedString(size) + " elements but only " + remaining + " bytes follow");
			}
			return size;
		}

	}

}
