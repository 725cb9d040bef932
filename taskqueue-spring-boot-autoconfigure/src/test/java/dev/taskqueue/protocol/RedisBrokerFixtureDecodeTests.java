package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden decode tests: every message Celery 5.2.6 put on Redis (redis-broker captures,
 * including msgpack, zlib and canvas messages) decodes to the expected model.
 */
class RedisBrokerFixtureDecodeTests {

	private static final String FOLDER = "redis-broker";

	private final JsonMessageCodec codec = new JsonMessageCodec();

	static List<String> fixtures() {
		return CeleryFixtures.files(FOLDER);
	}

	@Test
	void everyCaptureIsCovered() {
		assertThat(fixtures()).hasSize(21).first().isEqualTo("00_kombu_bindings_client_only.json");
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void decodesEveryMessageOfTheCapture(String file) {
		Map<String, Object> fixture = CeleryFixtures.load(FOLDER + "/" + file);
		if (!fixture.containsKey("messages")) {
			assertBindings(fixture);
			return;
		}
		List<TaskMessage> decoded = new ArrayList<>();
		for (Object item : list(fixture.get("messages"))) {
			Map<String, Object> captured = map(item);
			TaskMessage message = this.codec.decode(CeleryFixtures.fromRedisEnvelope((String) captured.get("raw")));
			assertMatchesCapture(message, map(map(captured.get("envelope")).get("headers")),
					map(map(captured.get("envelope")).get("properties")), list(captured.get("body_decoded")));
			decoded.add(message);
		}
		assertConcreteValues(file.substring(0, 2), decoded);
	}

	@ParameterizedTest
	@MethodSource("resultFixturesWithRetries")
	void decodesTheOriginalAndTheRetriedMessageSentByTheWorker(String path) {
		List<Object> sent = list(CeleryFixtures.load(path).get("task_messages_lpushed"));
		assertThat(sent).hasSize(2);
		List<TaskMessage> messages = new ArrayList<>();
		for (Object item : sent) {
			Map<String, Object> captured = map(item);
			TaskMessage message = this.codec.decode(CeleryFixtures.fromRedisEnvelope((String) captured.get("raw")));
			assertMatchesCapture(message, map(map(captured.get("envelope")).get("headers")),
					map(map(captured.get("envelope")).get("properties")), list(captured.get("body_decoded")));
			messages.add(message);
		}
		TaskMessage original = messages.get(0);
		TaskMessage retry = messages.get(1);
		assertThat(original.task()).isEqualTo("labapp.flaky");
		assertThat(original.args()).containsExactly(1);
		assertThat(original.headers().retries()).isZero();
		assertThat(original.headers().eta()).isNull();
		assertThat(original.headers().parentId()).isNull();
		assertThat(retry.id()).isEqualTo(original.id());
		assertThat(retry.headers().retries()).isEqualTo(1);
		assertThat(retry.headers().eta()).isNotNull();
		assertThat(retry.headers().parentId()).isEqualTo(original.id());
		assertThat(retry.headers().rootId()).isEqualTo(original.id());
	}

	static List<String> resultFixturesWithRetries() {
		return List.of("redis-results/plain/04_retry_autoretry.json", "redis-results/extended/04_retry_autoretry.json");
	}

	/**
	 * The capture with no message: the {@code _kombu.binding.<exchange>} set members the
	 * producer wrote, {@code routing_key + "\x06\x16" + pattern + "\x06\x16" + queue}.
	 */
	private static void assertBindings(Map<String, Object> fixture) {
		Map<String, Object> bindings = map(fixture.get("bindings"));
		assertThat(bindings).containsOnlyKeys("_kombu.binding.celery", "_kombu.binding.other");
		List<String> members = new ArrayList<>();
		bindings.forEach((key, value) -> {
			for (Object member : list(value)) {
				members.add(new String(Base64.getDecoder().decode((String) map(member).get("$bytes_b64")),
						StandardCharsets.UTF_8));
			}
		});
		assertThat(members).containsExactly("celery\u0006\u0016\u0006\u0016celery",
				"other\u0006\u0016\u0006\u0016other");
		assertThat(members.get(0).split("\u0006\u0016", -1)).containsExactly("celery", "", "celery");
	}

	static void assertMatchesCapture(TaskMessage message, Map<String, Object> headers, Map<String, Object> properties,
			List<Object> body) {
		TaskHeaders decoded = message.headers();
		assertThat(decoded.lang()).isEqualTo(headers.get("lang"));
		assertThat(decoded.task()).isEqualTo(headers.get("task"));
		assertThat(decoded.id()).isEqualTo(headers.get("id"));
		assertThat(decoded.shadow()).isEqualTo(headers.get("shadow"));
		assertThat(decoded.eta()).isEqualTo(instant(headers.get("eta")));
		assertThat(decoded.expires()).isEqualTo(instant(headers.get("expires")));
		assertThat(decoded.group()).isEqualTo(headers.get("group"));
		assertThat(decoded.groupIndex()).isEqualTo(headers.get("group_index"));
		assertThat(decoded.retries()).isEqualTo(headers.get("retries"));
		List<Object> timelimit = list(headers.get("timelimit"));
		assertThat(decoded.timeLimit().hard()).isEqualTo(seconds(timelimit.get(0)));
		assertThat(decoded.timeLimit().soft()).isEqualTo(seconds(timelimit.get(1)));
		assertThat(decoded.rootId()).isEqualTo(headers.get("root_id"));
		assertThat(decoded.parentId()).isEqualTo(headers.get("parent_id"));
		assertThat(decoded.argsrepr()).isEqualTo(headers.get("argsrepr"));
		assertThat(decoded.kwargsrepr()).isEqualTo(headers.get("kwargsrepr"));
		assertThat(decoded.origin()).isEqualTo(headers.get("origin"));
		assertThat(decoded.ignoreResult()).isEqualTo(headers.get("ignore_result"));
		assertThat(decoded.replacedTaskNesting()).isZero();
		assertThat(decoded.stampedHeaders()).isNull();
		assertThat(decoded.stamps()).isEmpty();
		assertThat(decoded.extra()).isEmpty();
		MessageProperties decodedProperties = message.properties();
		assertThat(decodedProperties.correlationId()).isEqualTo(properties.get("correlation_id"));
		assertThat(decodedProperties.replyTo()).isEqualTo(properties.get("reply_to"));
		assertThat(decodedProperties.deliveryMode()).isEqualTo(properties.get("delivery_mode"));
		assertThat(decodedProperties.priority()).isEqualTo(properties.get("priority"));
		assertThat(decodedProperties.expiration()).isEqualTo(properties.get("expiration"));
		assertThat(message.args()).isEqualTo(body.get(0));
		assertThat(message.kwargs()).isEqualTo(body.get(1));
		Map<String, Object> embed = map(body.get(2));
		assertThat(message.embed().callbacks()).isEqualTo(embed.get("callbacks"));
		assertThat(message.embed().errbacks()).isEqualTo(embed.get("errbacks"));
		assertThat(message.embed().chain()).isEqualTo(embed.get("chain"));
		assertThat(message.embed().chord()).isEqualTo(embed.get("chord"));
	}

	private static Instant instant(Object text) {
		return (text != null) ? Instant.parse(((String) text).replace("+00:00", "Z")) : null;
	}

	private static Double seconds(Object value) {
		return (value != null) ? ((Number) value).doubleValue() : null;
	}

	@SuppressWarnings("unchecked")
	private static void assertConcreteValues(String number, List<TaskMessage> messages) {
		TaskMessage first = messages.get(0);
		TaskHeaders headers = first.headers();
		switch (number) {
			case "01" -> {
				assertThat(messages).hasSize(1);
				assertThat(first.task()).isEqualTo("labapp.add");
				assertThat(first.id()).isEqualTo("cb03322d-0453-4908-bb3f-6a6443f1b96b");
				assertThat(headers.rootId()).isEqualTo(first.id());
				assertThat(first.args()).containsExactly(2, 3);
				assertThat(first.kwargs()).isEmpty();
				assertThat(first.embed()).isEqualTo(Embed.NONE);
				assertThat(headers.argsrepr()).isEqualTo("(2, 3)");
				assertThat(headers.kwargsrepr()).isEqualTo("{}");
				assertThat(headers.origin()).isEqualTo("gen19148@vm");
				assertThat(headers.timeLimit()).isEqualTo(TimeLimit.NONE);
				assertThat(first.properties()).isEqualTo(new MessageProperties(first.id(),
						"cf6e9b6f-0860-36c4-ba5c-ad1aeb43d3f7", 2, 0, null));
			}
			case "02" -> {
				assertThat(first.args()).isEmpty();
				assertThat(first.kwargs()).containsExactly(Map.entry("x", 2), Map.entry("y", 3));
				assertThat(headers.kwargsrepr()).isEqualTo("{'x': 2, 'y': 3}");
			}
			case "03" -> {
				assertThat(first.args()).containsExactly(2);
				assertThat(first.kwargs()).containsExactly(Map.entry("y", 3));
				assertThat(headers.argsrepr()).isEqualTo("(2,)");
			}
			case "04" -> assertThat(headers.eta()).isEqualTo(Instant.parse("2026-11-21T17:12:40.025486Z"));
			case "05" -> assertThat(headers.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.678901Z"));
			case "06" -> {
				assertThat(headers.expires()).isEqualTo(Instant.parse("2026-11-21T17:13:31.035472Z"));
				assertThat(first.properties().expiration()).isEqualTo("60000");
			}
			case "07" -> {
				assertThat(headers.expires()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
				assertThat(first.properties().expiration()).isEqualTo("98272293460");
			}
			case "08" -> assertThat(first.properties().priority()).isEqualTo(5);
			case "09" -> assertThat(first.properties().priority()).isEqualTo(9);
			case "10" -> assertThat(headers.timeLimit()).isEqualTo(new TimeLimit(30.0, 20.0));
			case "11" -> {
				assertThat(first.embed().callbacks()).singleElement().satisfies((callback) -> assertThat(callback).containsEntry("task", "labapp.add")
					.containsEntry("args", List.of(10))
					.containsEntry("immutable", false));
				assertThat(first.embed().errbacks()).singleElement()
					.satisfies((errback) -> assertThat(errback).containsEntry("task", "labapp.on_error"));
				assertThat(first.embed().chain()).isNull();
				assertThat(first.embed().chord()).isNull();
			}
			case "12" -> {
				List<Map<String, Object>> chain = first.embed().chain();
				assertThat(chain).hasSize(2);
				assertThat(chain.get(1)).containsEntry("args", List.of(4));
				assertThat((Map<String, Object>) chain.get(1).get("options")).containsEntry("task_id",
						"f7eaeaf9-f2d4-4ebf-8dfe-3d56095e0bd7");
				assertThat(chain.get(0)).containsEntry("args", List.of(5));
			}
			case "13" -> {
				assertThat(messages).hasSize(2);
				assertThat(messages).extracting((message) -> message.headers().group())
					.containsOnly("f9d1ecfa-4f63-4ef0-8d3f-f3e0edfdf6d6");
				assertThat(messages).extracting((message) -> message.headers().groupIndex()).containsOnlyNulls();
				assertThat(messages).extracting(TaskMessage::args).containsExactly(List.of(1, 1), List.of(2, 2));
			}
			case "14" -> {
				assertThat(messages).hasSize(2);
				assertThat(messages).extracting((message) -> message.headers().group())
					.containsOnly("471c29d8-2faf-4527-ba63-1fecb78dedb2");
				assertThat(messages).extracting((message) -> message.headers().groupIndex()).containsExactly(0, 1);
				for (TaskMessage message : messages) {
					assertThat(message.embed().chord()).containsEntry("task", "labapp.xsum");
					assertThat((Map<String, Object>) message.embed().chord().get("options")).containsEntry("task_id",
							"eafaeb45-e83c-4416-ae2a-fc417b12c2e2");
				}
			}
			case "15", "16", "20" -> {
				assertThat(first.args()).containsExactly(2, 3);
				assertThat(first.args().get(0)).isInstanceOf(Integer.class);
				assertThat(first.embed()).isEqualTo(Embed.NONE);
				if (number.equals("20")) {
					assertThat(first.id()).isEqualTo("00000000-0000-4000-8000-000000000001");
				}
			}
			case "17" -> {
				assertThat(first.task()).isEqualTo("labapp.noop");
				assertThat(headers.ignoreResult()).isTrue();
				assertThat(first.args()).isEmpty();
				assertThat(headers.argsrepr()).isEqualTo("()");
			}
			case "18" -> {
				assertThat(headers.shadow()).isEqualTo("custom.display.name");
				assertThat(headers.displayName()).isEqualTo("custom.display.name");
			}
			case "19" -> assertThat(first.id()).isEqualTo("dc12d3fe-3b79-40d1-83b7-bbfab884731c");
			default -> throw new AssertionError("No expectations for fixture " + number);
		}
	}

}
