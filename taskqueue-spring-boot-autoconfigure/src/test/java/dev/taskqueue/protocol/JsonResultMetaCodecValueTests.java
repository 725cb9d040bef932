package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the plain values of {@link JsonResultMetaCodec} (chord parts and saved groups),
 * against what kombu 5.2's {@code json} and {@code msgpack} serializers write.
 */
class JsonResultMetaCodecValueTests {

	private final JsonResultMetaCodec json = new JsonResultMetaCodec();

	private final JsonResultMetaCodec msgpack = new JsonResultMetaCodec(Serializer.MSGPACK);

	@Test
	void writesJsonAsPythonsJsonDumps() {
		List<Object> part = Arrays.asList(1, "36ff", "SUCCESS", Map.of("caf\u00e9", Arrays.asList(1.5, null, true)));
		assertThat(new String(this.json.encodeValue(part), StandardCharsets.US_ASCII))
			.isEqualTo("[1, \"36ff\", \"SUCCESS\", {\"caf\\u00e9\": [1.5, null, true]}]");
	}

	@Test
	void writesMsgpackAsPythonsPackb() {
		byte[] expected = { (byte) 0x94, 0x01, (byte) 0xa2, 'a', 'b', (byte) 0xa7, 'S', 'U', 'C', 'C', 'E', 'S', 'S',
				0x03 };
		assertThat(this.msgpack.encodeValue(List.of(1, "ab", "SUCCESS", 3))).isEqualTo(expected);
	}

	@Test
	void readsValuesOfEitherSerializer() {
		Map<String, Object> group = Map.of("result", List.of(Arrays.asList("g", null), List.of()));
		for (JsonResultMetaCodec writer : List.of(this.json, this.msgpack)) {
			byte[] bytes = writer.encodeValue(group);
			assertThat(this.json.decodeValue(bytes)).isEqualTo(group);
			assertThat(this.msgpack.decodeValue(bytes)).isEqualTo(group);
		}
		assertThat(this.json.decodeValue("[1, \"t\", \"SUCCESS\", 3]".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(List.of(1, "t", "SUCCESS", 3));
	}

	@Test
	void refusesWhatIsNeitherAndCodecsThatOnlyKnowMetas() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.json.decodeValue(new byte[] { 0, 1 }))
			.withMessageStartingWith("Invalid value: neither JSON nor a msgpack array or map");
		assertThatExceptionOfType(MessageEncodingException.class)
			.isThrownBy(() -> this.json.encodeValue(List.of(new Object())))
			.withMessageStartingWith("Cannot serialize a java.util.").withMessageContaining(" to JSON: ");
		ResultMetaCodec metasOnly = new ResultMetaCodec() {

			@Override
			public byte[] encode(ResultMeta meta) {
				return new byte[0];
			}

			@Override
			public ResultMeta decode(byte[] bytes) {
				return ResultMeta.pending("t");
			}

		};
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> metasOnly.encodeValue(1))
			.withMessageContaining("encodes only task metas");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> metasOnly.decodeValue(new byte[] { '1' }))
			.withMessageContaining("decodes only task metas");
	}

}
