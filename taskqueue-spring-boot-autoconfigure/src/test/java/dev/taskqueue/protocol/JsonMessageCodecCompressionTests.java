package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.taskqueue.protocol.CeleryFixtures.map;
import static dev.taskqueue.protocol.TestMessages.ID;
import static dev.taskqueue.protocol.TestMessages.PROPERTIES;
import static dev.taskqueue.protocol.TestMessages.headers;
import static dev.taskqueue.protocol.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the body compression of {@link JsonMessageCodec} ({@link BodyCompression}).
 */
class JsonMessageCodecCompressionTests {

	private final JsonMessageCodec codec = new JsonMessageCodec();

	private TaskMessage decode(Map<String, Object> headers, String body) {
		return TestMessages.decode(this.codec, headers, body);
	}

	@Test
	void zlibRoundTrip() {
		JsonMessageCodec zlib = new JsonMessageCodec("zlib");
		TaskMessage message = TaskMessageBuilder.task("t").id(ID).args(List.of("x".repeat(500))).build();
		EncodedMessage encoded = zlib.encode(message);
		assertThat(encoded.headers()).containsEntry("compression", "application/x-gzip");
		assertThat(List.copyOf(encoded.headers().keySet())).last().isEqualTo("compression");
		assertThat(encoded.body()[0]).isEqualTo((byte) 0x78);
		assertThat(encoded.size()).isLessThan(100);
		TaskMessage decoded = this.codec.decode(encoded);
		assertThat(decoded.args()).isEqualTo(message.args());
		assertThat(decoded.headers().extra()).isEmpty();
		assertThat(new JsonMessageCodec("gzip").encode(message).headers()).containsEntry("compression",
				"application/x-gzip");
	}

	@Test
	void bzip2RoundTrip() {
		JsonMessageCodec bzip2 = new JsonMessageCodec("bzip2");
		TaskMessage message = TaskMessageBuilder.task("t").id(ID).args(List.of(1, "two")).build();
		EncodedMessage encoded = bzip2.encode(message);
		assertThat(encoded.headers()).containsEntry("compression", "application/x-bz2");
		assertThat(new String(encoded.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("BZh");
		assertThat(this.codec.decode(encoded).args()).containsExactly(1, "two");
		assertThat(new JsonMessageCodec("bzip").encode(message).headers()).containsEntry("compression",
				"application/x-bz2");
	}

	@Test
	void decodeReadsABzip2BodyWrittenByKombu() {
		Map<String, Object> fixture = map(CeleryFixtures.load("generated/v1_and_bzip2.json").get("bzip2"));
		byte[] body = Base64.getDecoder().decode((String) fixture.get("body_b64"));
		for (String compression : List.of("application/x-bz2", "bzip2")) {
			EncodedMessage encoded = new EncodedMessage(headers("task", "t", "id", ID, "compression", compression),
					PROPERTIES, "application/json", "utf-8", body);
			assertThat(this.codec.decode(encoded).args()).containsExactly(2, 3);
		}
	}

	@Test
	void decodeAcceptsCompressionAliasesAndRejectsUnknownOnes() {
		byte[] body = BodyCompression.ZLIB.compress("[[1], {}, {}]".getBytes(StandardCharsets.UTF_8));
		EncodedMessage alias = new EncodedMessage(headers("task", "t", "id", ID, "compression", "zlib"), PROPERTIES,
				"application/json", "utf-8", body);
		assertThat(this.codec.decode(alias).args()).containsExactly(1);
		EncodedMessage lzma = new EncodedMessage(headers("task", "t", "id", ID, "compression", "application/x-lzma"),
				PROPERTIES, "application/json", "utf-8", body);
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(lzma))
			.withMessageContaining("application/x-lzma");
		EncodedMessage corrupt = new EncodedMessage(headers("task", "t", "id", ID, "compression", "zlib"), PROPERTIES,
				"application/json", "utf-8", "not zlib".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(corrupt))
			.withMessageContaining("decompress");
	}

	@Test
	void constructorRejectsUnknownCompressions() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonMessageCodec("lzma"))
			.withMessageContaining("'lzma'");
		assertThat(new JsonMessageCodec(null).encode(TaskMessageBuilder.task("t").id(ID).build()).headers())
			.doesNotContainKey("compression");
	}

}
