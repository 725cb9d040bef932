package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the msgpack serializer of {@link JsonMessageCodec} and {@link JsonResultMetaCodec}
 * ({@link MsgpackWriter}) with Java values that have no msgpack type of their own: they
 * arrive as the JSON serializer would send them. Byte-for-byte equality with kombu for plain
 * values is in {@link MsgpackFixtureTests}.
 */
class MsgpackSerializerTests {

	private final JsonMessageCodec msgpack = new JsonMessageCodec(Serializer.MSGPACK, null, InboundLimits.DEFAULTS,
			AcceptContent.ALL);

	private final JsonMessageCodec json = new JsonMessageCodec();

	@Test
	void javaValuesArriveAsWithJson() {
		Map<Integer, String> intKeys = new LinkedHashMap<>();
		intKeys.put(1, "one");
		List<Object> args = List.of(Instant.parse("2030-01-02T03:04:05.678901Z"), LocalDate.of(2030, 1, 2),
				Colour.RED, UUID.fromString("00000000-0000-4000-8000-000000000001"), intKeys, new int[] { 1, 2 },
				Optional.of("x"), new BigDecimal("1.25"), 'c');
		TaskMessage message = TaskMessageBuilder.task("t").args(args).build();
		List<Object> viaMsgpack = roundTrip(this.msgpack, message).args();
		assertThat(viaMsgpack).isEqualTo(roundTrip(this.json, message).args());
		assertThat(viaMsgpack).containsExactly("2030-01-02T03:04:05.678901Z", "2030-01-02", "RED",
				"00000000-0000-4000-8000-000000000001", Map.of("1", "one"), List.of(1, 2), "x", 1.25, "c");
	}

	@Test
	void floatsAreTheDecimalsTheirJsonTextSays() {
		TaskMessage message = TaskMessageBuilder.task("t").args(List.of(1.1f, 0.1, Long.MAX_VALUE)).build();
		assertThat(roundTrip(this.msgpack, message).args()).containsExactly(1.1, 0.1, Long.MAX_VALUE);
	}

	@Test
	void bytesAreBinaryAndBeansAreMaps() {
		TaskMessage message = TaskMessageBuilder.task("t")
			.args(List.of(new byte[] { 0, (byte) 0xff }))
			.kwargs(Map.of("point", new Point(3, "p", new byte[] { 7 })))
			.build();
		TaskMessage decoded = roundTrip(this.msgpack, message);
		assertThat((byte[]) decoded.args().get(0)).containsExactly(0, 0xff);
		Map<String, Object> point = CeleryFixtures.map(decoded.kwargs().get("point"));
		assertThat(point.keySet()).containsExactly("x", "label", "raw");
		assertThat(point.get("x")).isEqualTo(3);
		assertThat((byte[]) point.get("raw")).containsExactly(7);
	}

	@Test
	void valuesWithoutAFormAreRefusedWithTheArgumentNamed() {
		TaskMessage empty = TaskMessageBuilder.task("t").args(List.of(1)).kwargs(Map.of("e", new Empty())).build();
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.msgpack.encode(empty))
			.withMessageStartingWith("Cannot serialize task 't'")
			.withMessageContaining("to msgpack: keyword argument 'e' (" + Empty.class.getName() + ")");
		List<Object> cycle = new ArrayList<>();
		cycle.add(cycle);
		TaskMessage cyclic = TaskMessageBuilder.task("t").args(List.of(cycle)).build();
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.msgpack.encode(cyclic))
			.withMessageContaining("positional argument 0")
			.withMessageContaining("nest deeper than 511 levels");
	}

	@Test
	void resultMetasAreWrittenInEitherAndReadInBoth() {
		ResultMeta meta = new ResultMeta(TestMessages.ID, CeleryStates.SUCCESS, Map.of("when", Instant.EPOCH), null,
				List.of(), Instant.parse("2026-11-21T17:12:40.954801Z"), null, null, null, null);
		JsonResultMetaCodec msgpackCodec = new JsonResultMetaCodec(Serializer.MSGPACK);
		JsonResultMetaCodec jsonCodec = new JsonResultMetaCodec();
		assertThat(msgpackCodec.contentType()).isEqualTo("application/x-msgpack");
		assertThat(msgpackCodec.contentEncoding()).isEqualTo("binary");
		assertThat(jsonCodec.contentType()).isEqualTo("application/json");
		byte[] packed = msgpackCodec.encode(meta);
		assertThat(packed[0] & 0xff).isEqualTo(0x80 | 6);
		ResultMeta fromMsgpack = jsonCodec.decode(packed);
		ResultMeta fromJson = msgpackCodec.decode(jsonCodec.encode(meta));
		assertThat(fromMsgpack).usingRecursiveComparison().isEqualTo(fromJson);
		assertThat(fromMsgpack.result()).isEqualTo(Map.of("when", "1970-01-01T00:00:00Z"));
		assertThat(fromMsgpack.dateDone()).isEqualTo(meta.dateDone());
	}

	@Test
	void resultMetasAreReadByTheirContentType() {
		JsonResultMetaCodec codec = new JsonResultMetaCodec();
		ResultMeta meta = ResultMeta.of(TestMessages.ID, CeleryStates.SUCCESS, 5);
		byte[] packed = new JsonResultMetaCodec(Serializer.MSGPACK).encodeRpc(meta);
		assertThat(codec.decode(packed, "application/x-msgpack").result()).isEqualTo(5);
		assertThat(codec.decode(packed, "application/octet-stream").result()).isEqualTo(5);
		assertThat(codec.decode(codec.encodeRpc(meta), null).result()).isEqualTo(5);
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> codec.decode(packed, "application/json"))
			.withMessageStartingWith("Invalid task meta: not JSON");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> codec.decode(packed, "application/x-python-serialize"))
			.withMessageContaining("content type 'application/x-python-serialize' is not read");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> codec.decode(new byte[] { (byte) 0x81, (byte) 0xa1 }))
			.withMessageStartingWith("Invalid task meta: Invalid msgpack body");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> codec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("Invalid task meta");
	}

	private static TaskMessage roundTrip(JsonMessageCodec codec, TaskMessage message) {
		return codec.decode(codec.encode(message));
	}

	record Point(int x, String label, byte[] raw) {
	}

	enum Colour {

		RED

	}

	static class Empty {

	}

}
