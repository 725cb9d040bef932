package dev.taskqueue.sample;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.sample.HttpJson.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@code POST /api/canvas}, which sends canvases in Celery's JSON signature form, over
 * HTTP against the running application, its in-memory broker and backend, and its worker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CanvasApiTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	private HttpJson http;

	@BeforeEach
	void client() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void plainTaskSignatureRuns() {
		JsonNode sent = send(add("2, 3"));
		assertThat(sent.has("group_id")).isFalse();
		assertThat(sent.has("members")).isFalse();
		assertThat(awaitState(sent.get("id").asString(), "SUCCESS").get("result").asLong()).isEqualTo(5);
	}

	@Test
	void chainAnswersItsLastStep() {
		JsonNode sent = send(chain(add("2, 2"), add("4"), add("8")));
		assertThat(sent.has("group_id")).isFalse();
		assertThat(awaitState(sent.get("id").asString(), "SUCCESS").get("result").asLong()).isEqualTo(16);
	}

	@Test
	void groupAnswersItsMembersInOrder() {
		JsonNode sent = send(group("{}", add("1, 1"), add("2, 2"), add("3, 3")));
		assertThat(sent.get("group_id").asString()).isEqualTo(sent.get("id").asString());
		List<String> members = sent.get("members").values().stream().map(JsonNode::asString).toList();
		assertThat(members).hasSize(3).doesNotHaveDuplicates();
		assertThat(members.stream().map((id) -> awaitState(id, "SUCCESS").get("result").asLong()))
			.containsExactly(2L, 4L, 6L);
	}

	@Test
	void groupOptionsApplyToEveryMemberOverTheirOwnAsInCelery() {
		String expiresLongAgo = "{\"expires\": \"2000-01-01T00:00:00Z\"}";
		String ownExpiry = "{\"task\": \"tasks.add\", \"args\": [5, 5], \"options\": {\"expires\": 60}}";
		JsonNode sent = send(group(expiresLongAgo, add("1, 1"), ownExpiry));
		List<String> members = sent.get("members").values().stream().map(JsonNode::asString).toList();
		assertThat(awaitState(members.get(0), "REVOKED").get("result").get("exc_type").asString())
			.isEqualTo("TaskRevokedError");
		assertThat(awaitState(members.get(1), "REVOKED").get("result").get("exc_message").toString())
			.contains("expired");
	}

	@Test
	void chordAnswersItsBody() {
		String header = String.join(", ", add("1, 1"), add("2, 2"), add("3, 3"));
		JsonNode sent = send("{\"task\": \"celery.chord\", \"args\": [], \"kwargs\": {\"header\": [" + header
				+ "], \"body\": {\"task\": \"tasks.xsum\"}, \"kwargs\": {}}, \"options\": {}, "
				+ "\"subtask_type\": \"chord\", \"immutable\": false}");
		assertThat(awaitState(sent.get("id").asString(), "SUCCESS").get("result").asLong()).isEqualTo(12);
	}

	@Test
	void failedChainStepFailsTheLaterSteps() {
		String fail = "{\"task\": \"tasks.fail\", \"args\": [\"step 2\"], \"immutable\": true}";
		JsonNode failed = awaitState(send(chain(add("1, 1"), fail, add("3"))).get("id").asString(), "FAILURE");
		assertThat(failed.get("result").get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(failed.get("result").get("exc_message").get(0).asString()).isEqualTo("step 2");
	}

	@Test
	void chainEndingInAGroupAnswers400() {
		Response response = this.http.post("/api/canvas", chain(add("1, 1"), group("{}", add("2"), add("3"))));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).containsIgnoringCase("group");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestsAnswer400WithMessage(String body, String fragment) {
		Response response = this.http.post("/api/canvas", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.json().propertyNames()).containsExactly("error");
		assertThat(response.json().get("error").asString()).containsIgnoringCase(fragment);
	}

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("not json", "Invalid request body"),
				Arguments.of("[{\"task\": \"tasks.add\"}]", "Invalid request body"),
				Arguments.of("{}", "task name"), Arguments.of("{\"task\": \" \"}", "task name"),
				Arguments.of("{\"task\": 5}", "task name"),
				Arguments.of("{\"task\": \"tasks.add\", \"args\": {\"x\": 1}}", "args that are not a list"),
				Arguments.of("{\"task\": \"tasks.add\", \"kwargs\": [1]}", "kwargs that are not an object"),
				Arguments.of("{\"task\": \"tasks.add\", \"options\": 3}", "options that are not an object"),
				Arguments.of("{\"task\": \"tasks.add\", \"subtask_type\": 1}", "subtask_type that is not a string"),
				Arguments.of("{\"task\": \"celery.chunks\", \"subtask_type\": \"chunks\"}", "chunks"),
				Arguments.of("{\"task\": \"tasks.add\", \"options\": {\"link\": 5}}", "link"),
				Arguments.of("{\"task\": \"tasks.add\", \"options\": {\"link_error\": [{\"args\": []}]}}",
						"task name"),
				Arguments.of(chain(add("1, 1"), "{\"task\": \"tasks.add\", \"args\": 2}"), "args that are not a list"),
				Arguments.of("{\"task\": \"celery.chain\", \"subtask_type\": \"chain\", \"kwargs\": {\"tasks\": 5}}",
						"list of signatures"),
				Arguments.of("{\"task\": \"celery.group\", \"subtask_type\": \"group\", \"kwargs\": {}}",
						"list of signatures"),
				Arguments.of("{\"task\": \"celery.chord\", \"subtask_type\": \"chord\", \"kwargs\": {\"header\": []}}",
						"signature"),
				Arguments.of(nested(70), "deeper than"));
	}

	private static String add(String args) {
		return "{\"task\": \"tasks.add\", \"args\": [" + args + "], \"kwargs\": {}, \"options\": {}, "
				+ "\"subtask_type\": null, \"immutable\": false}";
	}

	private static String chain(String... steps) {
		return "{\"task\": \"celery.chain\", \"args\": [], \"kwargs\": {\"tasks\": [" + String.join(", ", steps)
				+ "]}, \"options\": {}, \"subtask_type\": \"chain\", \"immutable\": false}";
	}

	private static String group(String options, String... members) {
		return "{\"task\": \"celery.group\", \"args\": [], \"kwargs\": {\"tasks\": [" + String.join(", ", members)
				+ "]}, \"options\": " + options + ", \"subtask_type\": \"group\", \"immutable\": false}";
	}

	private static String nested(int depth) {
		String canvas = add("1, 1");
		for (int i = 0; i < depth; i++) {
			canvas = chain(canvas);
		}
		return canvas;
	}

	private JsonNode send(String canvas) {
		Response sent = this.http.post("/api/canvas", canvas);
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		assertThat(sent.json().get("id").asString()).isNotBlank();
		return sent.json();
	}

	private JsonNode awaitState(String id, String state) {
		return await().atMost(TIMEOUT).until(() -> {
			Response response = this.http.get("/api/tasks/" + id);
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			return response.json();
		}, (status) -> state.equals(status.get("state").asString()));
	}

}
