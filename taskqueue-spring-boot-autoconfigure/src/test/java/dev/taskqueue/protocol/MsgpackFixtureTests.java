package dev.taskqueue.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Golden tests of the msgpack serializer against kombu 5.2.4's own: the task message Celery
 * 5.2.6 put on RabbitMQ ({@code amqp/task-messages/07_msgpack}), and the task bodies, task
 * metas and rpc replies kombu's {@code dumps(..., 'msgpack')} wrote offline
 * ({@code generated/msgpack_kombu}). For the same values this library writes the same bytes,
 * and reads kombu's bytes back to the same values.
 */
class MsgpackFixtureTests {

	private static final Map<String, Object> GENERATED = CeleryFixtures.load("generated/msgpack_kombu.json");

	private final JsonMessageCodec codec = codec(null);

	private final JsonMessageCodec zlib = codec("zlib");

	private final JsonResultMetaCodec metas = new JsonResultMetaCodec(Serializer.MSGPACK);

	static List<String> bodies() {
		return list(GENERATED.get("bodies")).stream().map((body) -> (String) map(body).get("name")).toList();
	}

	static List<String> metas() {
		return list(GENERATED.get("metas")).stream().map((meta) -> (String) map(meta).get("source")).toList();
	}

	@Test
	void coversTheCapturedAndGeneratedCases() {
		assertThat(bodies()).hasSize(8).contains("integers", "strings", "bytes", "callbacks");
		assertThat(metas()).hasSize(28);
		assertThat(list(GENERATED.get("rpc"))).hasSize(4);
	}

	@Test
	void writesAndReadsTheBodyCeleryPutOnRabbitMq() {
		Map<String, Object> captured = map(
				list(CeleryFixtures.load("amqp/task-messages/07_msgpack.json").get("messages")).get(0));
		Map<String, Object> properties = map(captured.get("properties_pyamqp"));
		byte[] body = Base64.getDecoder().decode((String) captured.get("body_b64"));
		Map<String, Object> headers = map(properties.get("application_headers"));
		TaskMessage message = this.codec.decode(new EncodedMessage(headers,
				new MessageProperties((String) properties.get("correlation_id"), (String) properties.get("reply_to"), 2,
						0, null),
				(String) properties.get("content_type"), (String) properties.get("content_encoding"), body));
		assertThat(message.task()).isEqualTo("labapp.add");
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.kwargs()).isEmpty();
		assertThat(message.embed()).isEqualTo(Embed.NONE);
		EncodedMessage encoded = this.codec.encode(message);
		assertThat(encoded.contentType()).isEqualTo(properties.get("content_type"));
		assertThat(encoded.contentEncoding()).isEqualTo(properties.get("content_encoding"));
		assertThat(encoded.body()).isEqualTo(body);
	}

	@ParameterizedTest
	@MethodSource("bodies")
	void writesTaskBodiesAsKombuDoes(String name) {
		Map<String, Object> kombu = generated("bodies", "name", name);
		TaskMessage message = sameCall(kombu);
		EncodedMessage encoded = this.codec.encode(message);
		assertThat(encoded.contentType()).isEqualTo(kombu.get("content_type")).isEqualTo("application/x-msgpack");
		assertThat(encoded.contentEncoding()).isEqualTo(kombu.get("content_encoding")).isEqualTo("binary");
		assertThat(encoded.body()).isEqualTo(bytes(kombu.get("body_b64")));
	}

	@ParameterizedTest
	@MethodSource("bodies")
	void readsTaskBodiesKombuWrote(String name) {
		Map<String, Object> kombu = generated("bodies", "name", name);
		TaskMessage expected = sameCall(kombu);
		TaskMessage decoded = this.codec.decode(new EncodedMessage(Map.of("task", "labapp.add", "id", "i1"),
				expected.properties(), "application/x-msgpack", "binary", bytes(kombu.get("body_b64"))));
		assertSameValues(decoded.args(), expected.args());
		assertSameValues(decoded.kwargs(), expected.kwargs());
		assertThat(decoded.embed()).isEqualTo(expected.embed());
	}

	@ParameterizedTest
	@MethodSource("bodies")
	void compressesAndDecompressesMsgpackBodiesAsKombuDoes(String name) {
		Map<String, Object> kombu = generated("bodies", "name", name);
		EncodedMessage encoded = this.zlib.encode(sameCall(kombu));
		assertThat(encoded.headers()).containsEntry("compression", kombu.get("zlib_header"));
		assertThat(encoded.contentType()).isEqualTo("application/x-msgpack");
		assertThat(encoded.body()).isEqualTo(bytes(kombu.get("zlib_b64")));
		Map<String, Object> headers = new LinkedHashMap<>(Map.of("task", "labapp.add", "id", "i1"));
		headers.put("compression", kombu.get("zlib_header"));
		TaskMessage decoded = this.codec.decode(new EncodedMessage(headers, encoded.properties(),
				"application/x-msgpack", "binary", bytes(kombu.get("zlib_b64"))));
		assertSameValues(decoded.args(), sameCall(kombu).args());
	}

	@ParameterizedTest
	@MethodSource("metas")
	void readsTaskMetasCeleryStoresWithMsgpack(String source) {
		Map<String, Object> kombu = generated("metas", "source", source);
		ResultMeta fromJson = this.metas.decode(((String) kombu.get("json")).getBytes(StandardCharsets.UTF_8));
		ResultMeta fromMsgpack = this.metas.decode(bytes(kombu.get("msgpack_b64")));
		assertThat(fromMsgpack).usingRecursiveComparison().isEqualTo(fromJson);
		assertThat(this.metas.decode(bytes(kombu.get("msgpack_b64")), "application/x-msgpack"))
			.usingRecursiveComparison()
			.isEqualTo(fromJson);
	}

	@ParameterizedTest
	@MethodSource("metas")
	void writesTaskMetasAsCeleryStoresThemWithMsgpack(String source) {
		Map<String, Object> kombu = generated("metas", "source", source);
		ResultMeta meta = this.metas.decode(((String) kombu.get("json")).getBytes(StandardCharsets.UTF_8));
		// Celery 5.2's bytes but for date_done, which is written with +00:00 (see JsonResultMetaCodec)
		assertThat(this.metas.encode(meta)).isEqualTo(bytes(kombu.get("msgpack_offset_b64")));
	}

	@Test
	void writesAndReadsRpcRepliesAsCeleryDoesWithMsgpack() {
		for (Object item : list(GENERATED.get("rpc"))) {
			Map<String, Object> kombu = map(item);
			ResultMeta fromJson = this.metas.decode(((String) kombu.get("json")).getBytes(StandardCharsets.UTF_8));
			byte[] msgpack = bytes(kombu.get("msgpack_b64"));
			assertThat(this.metas.decode(msgpack, "application/x-msgpack")).usingRecursiveComparison()
				.isEqualTo(fromJson);
			assertThat(this.metas.encodeRpc(fromJson)).isEqualTo(msgpack);
		}
	}

	@Test
	void refusesWhatKombusMsgpackRefusesToWrite() {
		Map<String, Object> refused = map(GENERATED.get("unencodable"));
		assertThat(refused.get("int_2_64")).asString().contains("Integer value out of range");
		assertUnencodable(BigInteger.ONE.shiftLeft(64), "out of msgpack's range");
		assertThat(refused.get("int_minus_2_63_minus_1")).asString().contains("Integer value out of range");
		assertUnencodable(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), "out of msgpack's range");
		assertThat(refused.get("lone_surrogate")).asString().contains("surrogates not allowed");
		assertUnencodable("\ud800", "lone surrogate");
		// Python cannot write a datetime with msgpack at all; a Java time is sent as the JSON serializer sends it
		assertThat(refused.get("datetime")).asString().contains("can not serialize 'datetime.datetime' object");
	}

	@Test
	void refusesContentAsKombuDoes() {
		JsonMessageCodec jsonOnly = new JsonMessageCodec(Serializer.JSON, null, InboundLimits.DEFAULTS,
				AcceptContent.of(List.of("json")));
		map(GENERATED.get("refused")).forEach((contentType, kombuError) -> {
			String reason = ((String) kombuError).substring("ContentDisallowed: ".length());
			assertThatExceptionOfType(ContentDisallowedException.class)
				.isThrownBy(() -> jsonOnly.decode(new EncodedMessage(Map.of("task", "t", "id", "i1"),
						TestMessages.PROPERTIES, contentType, "binary", new byte[] { (byte) 0x80 })))
				.withMessageContaining(reason);
		});
	}

	private void assertUnencodable(Object argument, String reason) {
		TaskMessage message = TaskMessageBuilder.task("t").args(List.of(argument)).build();
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.codec.encode(message))
			.withMessageContaining("to msgpack: positional argument 0")
			.withMessageContaining(reason);
	}

	private static JsonMessageCodec codec(String compression) {
		return new JsonMessageCodec(Serializer.MSGPACK, compression, InboundLimits.DEFAULTS, AcceptContent.ALL);
	}

	private static Map<String, Object> generated(String group, String key, String value) {
		return list(GENERATED.get(group)).stream()
			.map(CeleryFixtures::map)
			.filter((item) -> value.equals(item.get(key)))
			.findFirst()
			.orElseThrow();
	}

	private static TaskMessage sameCall(Map<String, Object> kombu) {
		Map<String, Object> embed = map(binary(kombu.get("embed")));
		return TaskMessageBuilder.task("labapp.add")
			.id("i1")
			.args(list(binary(kombu.get("args"))))
			.kwargs(map(binary(kombu.get("kwargs"))))
			.embed(new Embed(signatures(embed.get("callbacks")), signatures(embed.get("errbacks")),
					signatures(embed.get("chain")), (embed.get("chord") != null) ? map(embed.get("chord")) : null))
			.build();
	}

	private static List<Map<String, Object>> signatures(Object value) {
		return (value != null) ? CeleryFixtures.maps(value) : null;
	}

	/** The fixture's values with {@code {"$bytes_b64": …}} turned into {@code byte[]}. */
	private static Object binary(Object value) {
		if (value instanceof Map<?, ?> map) {
			if (map.size() == 1 && map.containsKey("$bytes_b64")) {
				return bytes(map.get("$bytes_b64"));
			}
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put((String) key, binary(item)));
			return copy;
		}
		if (value instanceof List<?> items) {
			List<Object> copy = new ArrayList<>();
			items.forEach((item) -> copy.add(binary(item)));
			return copy;
		}
		return value;
	}

	private static byte[] bytes(Object base64) {
		return Base64.getDecoder().decode((String) base64);
	}

	/** Equal values, comparing {@code byte[]} by content. */
	private static void assertSameValues(Object actual, Object expected) {
		assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
	}

}
