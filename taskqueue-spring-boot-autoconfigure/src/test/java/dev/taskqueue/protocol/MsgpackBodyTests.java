package dev.taskqueue.protocol;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MsgpackBody} and msgpack decoding by {@link JsonMessageCodec}.
 */
class MsgpackBodyTests {

	/** Python's {@code msgpack.packb([[1, 2], {}, {callbacks: None, …}], use_bin_type=True)}. */
	private static final byte[] CELERY_BODY = { (byte) 0x93, (byte) 0x92, 0x01, 0x02, (byte) 0x80, (byte) 0x84,
			(byte) 0xa9, 'c', 'a', 'l', 'l', 'b', 'a', 'c', 'k', 's', (byte) 0xc0, (byte) 0xa8, 'e', 'r', 'r', 'b', 'a',
			'c', 'k', 's', (byte) 0xc0, (byte) 0xa5, 'c', 'h', 'a', 'i', 'n', (byte) 0xc0, (byte) 0xa5, 'c', 'h', 'o',
			'r', 'd', (byte) 0xc0 };

	@Test
	void readsTheBodyCelerySends() {
		Map<String, Object> headers = Map.of("task", "tasks.add", "id", "i1");
		EncodedMessage message = new EncodedMessage(headers, new MessageProperties("i1", null, 2, 0, null),
				"application/x-msgpack", "binary", CELERY_BODY);
		TaskMessage decoded = new JsonMessageCodec().decode(message);
		assertThat(decoded.args()).containsExactly(1, 2);
		assertThat(decoded.kwargs()).isEmpty();
		assertThat(decoded.embed()).isEqualTo(Embed.NONE);
	}

	@Test
	void readsEveryValueType() throws IOException {
		MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
		packer.packArrayHeader(9);
		packer.packNil();
		packer.packBoolean(true);
		packer.packLong(-5);
		packer.packLong(1L << 40);
		packer.packBigInteger(new BigInteger("18446744073709551615"));
		packer.packDouble(1.5);
		packer.packString("héllo");
		packer.packBinaryHeader(2);
		packer.writePayload(new byte[] { 1, 2 });
		packer.packMapHeader(2);
		packer.packString("k");
		packer.packInt(1);
		packer.packInt(7);
		packer.packString("int key");
		Object value = MsgpackBody.read(packer.toByteArray());
		assertThat(value).isInstanceOf(List.class);
		List<?> values = (List<?>) value;
		assertThat(values.subList(0, 7)).isEqualTo(Arrays.asList(null, true, -5, 1L << 40,
				new BigInteger("18446744073709551615"), 1.5, "héllo"));
		assertThat((byte[]) values.get(7)).containsExactly(1, 2);
		assertThat(CeleryFixtures.map(values.get(8))).containsExactly(Map.entry("k", 1), Map.entry("7", "int key"));
	}

	@Test
	void rejectsInvalidBodies() throws IOException {
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> MsgpackBody.read(new byte[0]))
			.withMessageContaining("empty");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> MsgpackBody.read(new byte[] { (byte) 0x93, 0x01 }))
			.withMessageStartingWith("Invalid msgpack body");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> MsgpackBody.read(new byte[] { 0x01, 0x02 }))
			.withMessageContaining("after the first value");
		MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
		packer.packExtensionTypeHeader((byte) 1, 1);
		packer.writePayload(new byte[] { 0 });
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> MsgpackBody.read(packer.toByteArray()))
			.withMessageContaining("extension type 1");
	}

}
