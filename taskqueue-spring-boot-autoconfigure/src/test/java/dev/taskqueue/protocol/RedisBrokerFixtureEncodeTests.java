package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static dev.taskqueue.protocol.CeleryFixtures.maps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden encode tests: the same calls as the Celery 5.2.6 captures, built with
 * {@link TaskMessageBuilder} and encoded with {@link JsonMessageCodec}, give the same
 * headers, body and properties; the msgpack capture (15) with the msgpack serializer, byte for
 * byte.
 */
class RedisBrokerFixtureEncodeTests {

	/** The headers Celery 5.3+ adds and 5.2 does not write. */
	private static final List<String> CELERY_53_HEADERS = List.of("replaced_task_nesting", "stamped_headers", "stamps");

	static List<String> fixtures() {
		return CeleryFixtures.files("redis-broker")
			.stream()
			.filter((name) -> !name.startsWith("00_"))
			.toList();
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void encodesLikeCelery(String file) {
		Map<String, Object> fixture = CeleryFixtures.load("redis-broker/" + file);
		for (Object item : list(fixture.get("messages"))) {
			Map<String, Object> captured = map(item);
			Map<String, Object> envelope = map(captured.get("envelope"));
			Map<String, Object> headers = map(envelope.get("headers"));
			Map<String, Object> properties = map(envelope.get("properties"));
			List<Object> body = list(captured.get("body_decoded"));
			boolean zlib = headers.containsKey("compression");
			Serializer serializer = Serializer.forContentType((String) envelope.get("content-type"));
			JsonMessageCodec codec = new JsonMessageCodec(serializer, zlib ? "zlib" : null, InboundLimits.DEFAULTS,
					AcceptContent.ALL);
			EncodedMessage encoded = codec.encode(sameCall(headers, properties, body));
			assertHeaders(encoded.headers(), headers);
			assertThat(encoded.contentType()).isEqualTo(envelope.get("content-type"));
			assertThat(encoded.contentEncoding()).isEqualTo(envelope.get("content-encoding"));
			assertProperties(encoded.properties(), properties);
			if (serializer == Serializer.MSGPACK) {
				// Byte for byte what kombu's msgpack serializer wrote
				assertThat(encoded.body()).isEqualTo(Base64.getDecoder().decode((String) captured.get("body_bytes_b64")));
				assertThat(MsgpackBody.read(encoded.body())).isEqualTo(body);
				continue;
			}
			byte[] json = zlib ? BodyCompression.ZLIB.decompress(encoded.body()) : encoded.body();
			assertThat(CeleryFixtures.MAPPER.readValue(json, Object.class)).isEqualTo(body);
			// Byte for byte what kombu wrote (Python's json.dumps layout)
			assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(captured.get("body_text"));
		}
	}

	private static TaskMessage sameCall(Map<String, Object> headers, Map<String, Object> properties,
			List<Object> body) {
		List<Object> timelimit = list(headers.get("timelimit"));
		TaskMessageBuilder builder = TaskMessageBuilder.task((String) headers.get("task"))
			.id((String) headers.get("id"))
			.args(list(body.get(0)))
			.kwargs(map(body.get(1)))
			.eta(instant(headers.get("eta")))
			.expires(instant(headers.get("expires")))
			.priority((Integer) properties.get("priority"))
			.timeLimit(new TimeLimit(seconds(timelimit.get(0)), seconds(timelimit.get(1))))
			.shadow((String) headers.get("shadow"))
			.group((String) headers.get("group"), (Integer) headers.get("group_index"))
			.ignoreResult((Boolean) headers.get("ignore_result"))
			.origin((String) headers.get("origin"))
			.replyTo((String) properties.get("reply_to"));
		Map<String, Object> embed = map(body.get(2));
		builder.embed(new Embed(signatures(embed.get("callbacks")), signatures(embed.get("errbacks")),
				signatures(embed.get("chain")), (embed.get("chord") != null) ? map(embed.get("chord")) : null));
		return builder.build(clock(headers, properties));
	}

	/** A clock at which the capture's {@code expiration} property comes out exactly. */
	private static Clock clock(Map<String, Object> headers, Map<String, Object> properties) {
		Instant expires = instant(headers.get("expires"));
		String expiration = (String) properties.get("expiration");
		Instant now = (expires != null && expiration != null) ? expires.minusMillis(Long.parseLong(expiration))
				: Instant.parse("2026-11-21T17:12:00Z");
		return Clock.fixed(now, ZoneOffset.UTC);
	}

	private static void assertHeaders(Map<String, Object> encoded, Map<String, Object> captured) {
		List<String> expectedOrder = new ArrayList<>(captured.keySet());
		expectedOrder.addAll(expectedOrder.indexOf("ignore_result") + 1, CELERY_53_HEADERS);
		assertThat(encoded.keySet()).containsExactlyElementsOf(expectedOrder);
		captured.forEach((name, value) -> {
			if (name.equals("eta") || name.equals("expires")) {
				assertThat(instant(encoded.get(name))).as(name).isEqualTo(instant(value));
				if (value != null) {
					assertThat((String) encoded.get(name)).as(name).matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
				}
			}
			else {
				assertThat(encoded.get(name)).as(name).isEqualTo(value);
			}
		});
		assertThat(encoded.get("replaced_task_nesting")).isEqualTo(0);
		assertThat(encoded.get("stamped_headers")).isNull();
		assertThat(encoded.get("stamps")).isEqualTo(Map.of());
	}

	private static void assertProperties(MessageProperties encoded, Map<String, Object> captured) {
		assertThat(encoded.correlationId()).isEqualTo(captured.get("correlation_id"));
		assertThat(encoded.replyTo()).isEqualTo(captured.get("reply_to"));
		assertThat(encoded.deliveryMode()).isEqualTo(captured.get("delivery_mode"));
		assertThat(encoded.priority()).isEqualTo(captured.get("priority"));
		assertThat(encoded.expiration()).isEqualTo(captured.get("expiration"));
		if (captured.containsKey("expiration")) {
			assertThat(encoded.expiration()).containsOnlyDigits();
		}
	}

	private static List<Map<String, Object>> signatures(Object value) {
		return (value != null) ? maps(value) : null;
	}

	private static Instant instant(Object text) {
		return (text != null) ? CeleryTime.parse((String) text) : null;
	}

	private static Double seconds(Object value) {
		return (value != null) ? ((Number) value).doubleValue() : null;
	}

}
