package dev.taskqueue.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.control.PidboxRequest.ReplyTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PidboxCodec}, against the requests and replies Celery 5.2.6 sent.
 */
class PidboxCodecTests {

	private final PidboxCodec codec = new PidboxCodec();

	@Test
	void requestIsByteForByteCelerysOnAmqp() {
		Map<String, Object> request = PidboxFixtures.map(PidboxFixtures.load("amqp/02_ping.json").get("request"));
		Map<String, Object> decoded = PidboxFixtures.map(request.get("body_decoded"));
		Map<String, Object> replyTo = PidboxFixtures.map(decoded.get("reply_to"));
		BroadcastMessage message = this.codec.encodeRequest(new PidboxRequest("ping", Map.of(), null, null, null,
				(String) decoded.get("ticket"),
				new ReplyTo((String) replyTo.get("exchange"), (String) replyTo.get("routing_key")), 1L),
				1795281265.724213);
		assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo(request.get("body_text"));
		Map<String, Object> properties = PidboxFixtures.map(request.get("properties_pyamqp"));
		assertThat(message.headers()).containsExactlyEntriesOf(PidboxFixtures.map(properties.get("application_headers")));
		assertThat(message.contentType()).isEqualTo(properties.get("content_type"));
		assertThat(message.contentEncoding()).isEqualTo(properties.get("content_encoding"));
		assertThat(message.persistent()).isTrue();
	}

	@Test
	void castRequestHasNoTicketNorReplyToAsCelerysRevoke() {
		Map<String, Object> request = PidboxFixtures.map(PidboxFixtures.load("redis/05_revoke.json").get("request"));
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", "00000000-0000-4000-8000-00000000dead");
		arguments.put("terminate", false);
		arguments.put("signal", "SIGTERM");
		BroadcastMessage message = this.codec
			.encodeRequest(new PidboxRequest("revoke", arguments, null, null, null, null, null, 13L), 1.5);
		assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo(request.get("body_text"));
		assertThat(message.headers().keySet()).containsExactly("clock", "expires");
	}

	@Test
	void replyIsByteForByteCelerysOnRedis() {
		Map<String, Object> reply = PidboxFixtures
			.map(((List<?>) PidboxFixtures.load("redis/02_ping.json").get("replies")).get(0));
		Map<String, Object> envelope = PidboxFixtures.map(reply.get("envelope"));
		Map<String, Object> headers = PidboxFixtures.map(envelope.get("headers"));
		BroadcastMessage message = this.codec.encodeReply("evredis@vm", Map.of("ok", "pong"),
				(String) headers.get("ticket"), 3);
		assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo(reply.get("body_text"));
		assertThat(message.headers()).containsExactlyEntriesOf(headers);
		assertThat(message.contentType()).isEqualTo(envelope.get("content-type"));
		assertThat(message.persistent()).isFalse();
	}

	@Test
	void readsCelerysRequest() {
		Map<String, Object> request = PidboxFixtures.map(PidboxFixtures.load("amqp/03_active.json").get("request"));
		PidboxRequest decoded = this.codec.decodeRequest(new BroadcastMessage(Map.of("clock", 5, "expires", 1.5),
				"application/json", "utf-8", ((String) request.get("body_text")).getBytes(StandardCharsets.UTF_8), true));
		assertThat(decoded.method()).isEqualTo("active");
		assertThat(decoded.arguments()).containsEntry("safe", null).hasSize(1);
		assertThat(decoded.destination()).isNull();
		assertThat(decoded.ticket()).isEqualTo("938c7428-9d28-47c4-9d23-b05d12c4cd7e");
		assertThat(decoded.replyTo())
			.isEqualTo(new ReplyTo("reply.celery.pidbox", "0f1d7a3e-5c4b-3a29-8e17-6d5c4b3a2910"));
		assertThat(decoded.clock()).isEqualTo(5L);
	}

	@Test
	void readsCelerysReply() {
		Map<String, Object> reply = PidboxFixtures
			.map(((List<?>) PidboxFixtures.load("amqp/03_active.json").get("replies")).get(0));
		PidboxReply decoded = this.codec.decodeReply(new BroadcastMessage(Map.of("ticket", "t", "clock", 7),
				"application/json", "utf-8", ((String) reply.get("body_text")).getBytes(StandardCharsets.UTF_8), false));
		assertThat(decoded.ticket()).isEqualTo("t");
		assertThat(decoded.clock()).isEqualTo(7L);
		assertThat(ReplyReader.taskInfos(decoded.body().get("evamqp@vm"))).singleElement().satisfies((task) -> {
			assertThat(task.id()).isEqualTo("bf1f4cf8-5ff2-47fd-80b6-18d36017762b");
			assertThat(task.name()).isEqualTo("labapp.sleep");
			assertThat(task.args()).isEqualTo(List.of(3));
			assertThat(task.acknowledged()).isTrue();
			assertThat(task.workerPid()).isEqualTo(21881L);
			assertThat(task.deliveryInfo()).containsEntry("routing_key", "celery");
		});
	}

	@Test
	void refusesContentOtherThanJson() {
		for (String type : List.of("application/x-python-serialize", "application/x-yaml", "application/x-msgpack",
				"text/plain")) {
			assertThatExceptionOfType(PidboxMessageException.class)
				.isThrownBy(() -> this.codec.decodeRequest(request(type, "utf-8", "{\"method\": \"ping\"}")))
				.withMessageContaining("only application/json");
		}
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> this.codec.decodeRequest(request("application/json", "binary", "{\"method\": \"ping\"}")));
		assertThat(this.codec.decodeRequest(request("application/json; charset=utf-8", "UTF-8", "{\"method\": \"ping\"}"))
			.method()).isEqualTo("ping");
	}

	@Test
	void refusesBodiesOverTheLimitBeforeReadingThem() {
		byte[] body = new byte[PidboxCodec.MAX_BODY_SIZE + 1];
		Arrays.fill(body, (byte) ' ');
		BroadcastMessage message = new BroadcastMessage(Map.of(), "application/json", "utf-8", body, true);
		assertThatExceptionOfType(PidboxMessageException.class).isThrownBy(() -> this.codec.decodeRequest(message))
			.withMessageContaining("bytes refused");
	}

	@Test
	void refusesRequestsOfTheWrongShape() {
		List<String> bodies = List.of("not json", "[1, 2]", "{\"arguments\": {}}", "{\"method\": 42}",
				"{\"method\": \"" + "x".repeat(65) + "\"}", "{\"method\": \"ping\", \"arguments\": [1]}",
				"{\"method\": \"ping\", \"arguments\": \"x\"}", "{\"method\": \"ping\", \"destination\": \"w1@vm\"}",
				"{\"method\": \"ping\", \"destination\": [1]}", "{\"method\": \"ping\", \"reply_to\": \"x\"}",
				"{\"method\": \"ping\", \"reply_to\": {\"exchange\": \"e\"}}", "{\"method\": \"ping\", \"pattern\": 1}",
				"[".repeat(100) + "]".repeat(100));
		for (String body : bodies) {
			assertThatExceptionOfType(PidboxMessageException.class).as(body)
				.isThrownBy(() -> this.codec.decodeRequest(request("application/json", "utf-8", body)));
		}
	}

	@Test
	void readsNullArgumentsAsNone() {
		assertThat(this.codec.decodeRequest(request("application/json", "utf-8",
				"{\"method\": \"ping\", \"arguments\": null}")).arguments()).isEmpty();
	}

	private static BroadcastMessage request(String contentType, String encoding, String body) {
		return new BroadcastMessage(Map.of(), contentType, encoding, body.getBytes(StandardCharsets.UTF_8), true);
	}

}
