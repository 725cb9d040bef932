package dev.taskqueue.protocol;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.taskqueue.HostileBodies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AcceptContent} and the refusal of content types by {@link JsonMessageCodec}.
 */
class AcceptContentTests {

	private static final byte[] MSGPACK_BODY = new MsgpackWriter(CeleryJson.newMapper())
		.write(List.of(List.of(2, 3), Map.of(), Map.of()));

	@Test
	void namesAndContentTypesInAnyCase() {
		assertThat(AcceptContent.of(List.of("json", "msgpack"))).isEqualTo(AcceptContent.ALL)
			.hasToString("[json, msgpack]");
		assertThat(AcceptContent.of(List.of("application/json", " Application/X-MsgPack "))).isEqualTo(AcceptContent.ALL);
		AcceptContent json = AcceptContent.of(List.of("JSON", "application/json"));
		assertThat(json).hasToString("[json]");
		assertThat(json.accepts(Serializer.JSON)).isTrue();
		assertThat(json.accepts(Serializer.MSGPACK)).isFalse();
		assertThat(AcceptContent.of(List.of("msgpack")).accepts(Serializer.JSON)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "pickle", "PICKLE", "application/x-python-serialize", "yaml", "application/x-yaml" })
	void pickleAndYamlAreNeverAccepted(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> AcceptContent.of(List.of("json", name)))
			.withMessage("'" + name + "' is never deserialized: pickle and YAML run code of the sender's choosing; "
					+ "accept json, msgpack or both");
	}

	@Test
	void unknownSerializersAndNoneAtAllAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> AcceptContent.of(List.of("xml")))
			.withMessageContaining("Unknown serializer 'xml'");
		assertThatIllegalArgumentException().isThrownBy(() -> AcceptContent.of(List.of()))
			.withMessageContaining("No content type is accepted");
	}

	@Test
	void messageOfAContentTypeThatIsNotAcceptedIsRefusedUnread() {
		JsonMessageCodec jsonOnly = codec("json");
		assertThatExceptionOfType(ContentDisallowedException.class)
			.isThrownBy(() -> jsonOnly.decode(message("application/x-msgpack", MSGPACK_BODY, Map.of())))
			.withMessage("Content type 'application/x-msgpack' is not accepted (accept_content is [json]): "
					+ "Refusing to deserialize untrusted content of type msgpack (application/x-msgpack)");
		TaskMessage read = codec("msgpack").decode(message("application/x-msgpack", MSGPACK_BODY, Map.of()));
		assertThat(read.args()).containsExactly(2, 3);
	}

	@Test
	void refusalComesBeforeDecompression() {
		byte[] bomb = HostileBodies.zlibBomb(1024L * 1024 * 1024);
		assertThatExceptionOfType(ContentDisallowedException.class).isThrownBy(() -> codec("json")
			.decode(message("application/x-msgpack", bomb, Map.of("compression", "application/x-gzip"))));
	}

	@Test
	void messageWithoutContentTypeIsJson() {
		byte[] json = "[[1], {}, {}]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(codec("json").decode(message(null, json, Map.of())).args()).containsExactly(1);
		assertThatExceptionOfType(ContentDisallowedException.class)
			.isThrownBy(() -> codec("msgpack").decode(message(null, json, Map.of())))
			.withMessageContaining("json (application/json)");
	}

	@Test
	void pickleIsRefusedWhateverIsAccepted() {
		assertThatExceptionOfType(ContentDisallowedException.class)
			.isThrownBy(() -> new JsonMessageCodec().decode(message("application/x-python-serialize",
					new byte[] { (byte) 0x80, 0x04 }, Map.of())))
			.withMessage("Content type 'application/x-python-serialize' is not accepted (accept_content is "
					+ "[json, msgpack]; pickle and YAML are never deserialized): Refusing to deserialize untrusted "
					+ "content of type pickle (application/x-python-serialize)");
		assertThatExceptionOfType(ContentDisallowedException.class)
			.isThrownBy(() -> new JsonMessageCodec().decode(message("text/plain", new byte[] { 'x' }, Map.of())))
			.withMessageContaining("Content type 'text/plain' is not accepted");
	}

	private static JsonMessageCodec codec(String accept) {
		return new JsonMessageCodec(Serializer.JSON, null, InboundLimits.DEFAULTS, AcceptContent.of(List.of(accept)));
	}

	private static EncodedMessage message(String contentType, byte[] body, Map<String, Object> extraHeaders) {
		Map<String, Object> headers = TestMessages.headers("task", "tasks.add", "id", TestMessages.ID);
		headers.putAll(extraHeaders);
		return new EncodedMessage(headers, TestMessages.PROPERTIES, contentType, "binary", body);
	}

}
