package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.taskqueue.HostileBodies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@link InboundLimits} of {@link JsonMessageCodec}: hostile bodies fail to
 * decode with a {@link MessageDecodingException} naming the reason, never with an
 * {@link Error}, and allocate nothing near what they declare.
 */
class InboundLimitsTests {

	private static final String ID = "7d3c6a1e-0000-4000-8000-000000000001";

	private static final InboundLimits SMALL = new InboundLimits(1024 * 1024, 1024 * 1024, 50);

	private final JsonMessageCodec codec = new JsonMessageCodec(null, SMALL);

	@ParameterizedTest
	@ValueSource(strings = { "array", "map", "binary", "string" })
	void refusesMsgpackContainersThatDeclareMoreThanTheBodyHolds(String kind) {
		byte[] body = switch (kind) {
			case "array" -> HostileBodies.msgpackHugeArray();
			case "map" -> HostileBodies.msgpackHugeMap();
			case "binary" -> HostileBodies.msgpackHugeBinary();
			default -> HostileBodies.msgpackHugeString();
		};
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/x-msgpack", body, null)))
			.withMessageContaining("declares")
			.withMessageContaining("bytes follow");
	}

	@Test
	void refusesMsgpackNestedDeeperThanTheLimit() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/x-msgpack", HostileBodies.msgpackDeep(1_000_000),
					null)))
			.withMessageContaining("deeper than 50 levels")
			.withMessageContaining("the worker's nesting depth limit");
	}

	@Test
	void readsMsgpackNestedUpToTheLimit() {
		Object value = MsgpackBody.read(HostileBodies.msgpackDeep(50), SMALL);
		assertThat(value).asString().startsWith("[[[[");
	}

	@Test
	void refusesJsonNestedDeeperThanTheLimit() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/json", HostileBodies.jsonDeep(100_000), null)))
			.withMessageContaining("deeper than 50 levels");
	}

	@Test
	void refusesBodiesOverTheSizeLimitBeforeReadingThem() {
		byte[] body = ("[[\"" + "x".repeat(1024 * 1024) + "\"], {}, {}]").getBytes(StandardCharsets.US_ASCII);
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/json", body, null)))
			.withMessageContaining("exceeds the limit of 1048576 bytes")
			.withMessageContaining("the worker's body size limit");
	}

	@Test
	void refusesZlibBombsOnceTheyPassTheDecompressedLimit() {
		byte[] bomb = HostileBodies.zlibBomb(512L * 1024 * 1024);
		assertThat(bomb.length).isLessThan(1024 * 1024);
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/json", bomb, "application/x-gzip")))
			.withMessageContaining("Decompressed message body exceeds the limit of 1048576 bytes");
	}

	@Test
	void refusesBzip2BombsOnceTheyPassTheDecompressedLimit() {
		byte[] bomb = HostileBodies.bzip2Bomb(64L * 1024 * 1024);
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/json", bomb, "application/x-bz2")))
			.withMessageContaining("Decompressed message body exceeds");
	}

	@Test
	void refusesInvalidUtf8() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message("application/json", HostileBodies.jsonInvalidUtf8(), null)))
			.withMessageContaining("Invalid JSON body");
	}

	@Test
	void readsCompressedBodiesWithinTheLimits() {
		JsonMessageCodec zlib = new JsonMessageCodec("zlib", SMALL);
		EncodedMessage encoded = zlib.encode(TaskMessageBuilder.task("t").id(ID).args(List.of("x".repeat(500_000)))
			.build());
		assertThat(zlib.decode(encoded).args()).hasSize(1);
	}

	private static EncodedMessage message(String contentType, byte[] body, String compression) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "t");
		headers.put("id", ID);
		if (compression != null) {
			headers.put("compression", compression);
		}
		return new EncodedMessage(headers, new MessageProperties(ID, null, 2, 0, null), contentType, "utf-8", body);
	}

}
