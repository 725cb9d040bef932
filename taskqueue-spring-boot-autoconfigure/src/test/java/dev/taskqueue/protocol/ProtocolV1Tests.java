package dev.taskqueue.protocol;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.taskqueue.protocol.CeleryFixtures.map;
import static dev.taskqueue.protocol.TestMessages.ID;
import static dev.taskqueue.protocol.TestMessages.headers;
import static dev.taskqueue.protocol.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for protocol v1 and hybrid messages read by {@link JsonMessageCodec}
 * ({@link ProtocolV1}).
 */
class ProtocolV1Tests {

	private final JsonMessageCodec codec = new JsonMessageCodec();

	private TaskMessage decode(Map<String, Object> headers, String body) {
		return TestMessages.decode(this.codec, headers, body);
	}

	@Test
	void decodeReadsProtocolV1AsSpecified() {
		String body = """
				{"task": "tasks.add", "id": "c21387d8-0000-4000-8000-000000000000", "args": [1, 2], "kwargs": {},
				 "group": null, "group_index": null, "retries": 0, "eta": "2026-11-21T17:11:29.520083+00:00",
				 "expires": "2026-11-21T17:12:24.520083+00:00", "utc": true, "callbacks": null,
				 "errbacks": null, "timelimit": [null, null], "taskset": null, "chord": null}""";
		TaskMessage message = decode(Map.of(), body);
		TaskHeaders headers = message.headers();
		assertThat(message.task()).isEqualTo("tasks.add");
		assertThat(message.id()).isEqualTo("c21387d8-0000-4000-8000-000000000000");
		assertThat(headers.rootId()).isEqualTo(message.id());
		assertThat(headers.parentId()).isNull();
		assertThat(headers.eta()).isEqualTo(Instant.parse("2026-11-21T17:11:29.520083Z"));
		assertThat(headers.expires()).isEqualTo(Instant.parse("2026-11-21T17:12:24.520083Z"));
		assertThat(headers.argsrepr()).isEqualTo("(1, 2)");
		assertThat(headers.kwargsrepr()).isEqualTo("{}");
		assertThat(headers.lang()).isEqualTo("py");
		assertThat(message.args()).containsExactly(1, 2);
		assertThat(message.embed()).isEqualTo(Embed.NONE);
	}

	@Test
	void decodeReadsProtocolV1WrittenByCelery() {
		Map<String, Object> v1 = map(CeleryFixtures.load("generated/v1_and_bzip2.json").get("v1"));
		TaskMessage message = decode(map(v1.get("headers")), (String) v1.get("body_text"));
		TaskHeaders headers = message.headers();
		assertThat(message.id()).isEqualTo("00000000-0000-4000-8000-0000000000a1");
		assertThat(headers.group()).isEqualTo("00000000-0000-4000-8000-0000000000b1");
		assertThat(headers.retries()).isEqualTo(1);
		assertThat(headers.timeLimit()).isEqualTo(new TimeLimit(30.0, 20.0));
		assertThat(headers.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.678901Z"));
		assertThat(headers.expires()).isEqualTo(Instant.parse("2030-01-02T04:00:00Z"));
		assertThat(message.kwargs()).containsExactly(Map.entry("z", 1));
		assertThat(headers.kwargsrepr()).isEqualTo("{'z': 1}");
		assertThat(message.embed().callbacks()).singleElement()
			.satisfies((callback) -> assertThat(callback).containsEntry("task", "labapp.add"));
		assertThat(message.embed().chain()).isNull();
	}

	@Test
	void decodeReadsProtocolV1WithNaiveLocalTimesAsUtc() {
		TaskMessage message = decode(headers("custom", "h"), """
				{"task": "t", "id": "x1", "args": [], "kwargs": {}, "eta": "2030-01-02T03:04:05", "utc": false,
				 "taskset": "g1"}""");
		assertThat(message.headers().eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
		assertThat(message.headers().group()).isEqualTo("g1");
		assertThat(message.headers().extra()).containsExactly(Map.entry("custom", "h"));
	}

	@Test
	void decodeReadsHybridMessagesWithHeadersWinning() {
		TaskMessage message = decode(headers("task", "tasks.add", "id", ID, "retries", 2), """
				{"task": "other", "id": "ignored", "args": [4], "kwargs": {"k": 1}, "retries": 0,
				 "eta": "2030-01-02T03:04:05+00:00", "callbacks": [{"task": "cb"}], "chord": null}""");
		assertThat(message.task()).isEqualTo("tasks.add");
		assertThat(message.id()).isEqualTo(ID);
		assertThat(message.headers().retries()).isEqualTo(2);
		assertThat(message.headers().eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
		assertThat(message.args()).containsExactly(4);
		assertThat(message.kwargs()).containsEntry("k", 1);
		assertThat(message.embed().callbacks()).containsExactly(Map.of("task", "cb"));
	}

	@Test
	void decodeRejectsMessagesThatAreNotTasks() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(Map.of(), "{\"method\": \"ping\"}"))
			.withMessageContaining("Not a Celery task message");
	}

}
