package dev.taskqueue.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * Tests of the REST API that sends tasks and reads their states, over HTTP against the
 * running application, its in-memory broker and backend, and its worker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TaskApiTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	private HttpJson http;

	@BeforeEach
	void client() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void addAnswersIdThenSuccess() {
		Response sent = this.http.post("/api/tasks/tasks.add", "{\"args\": [2, 3]}");
		assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
		String id = sent.json().get("id").asString();
		assertThat(id).isNotBlank();
		assertThat(sent.json().get("state").asString()).isIn("PENDING", "SUCCESS");
		assertThat(sent.location()).hasPath("/api/tasks/" + id);
		JsonNode done = awaitState(id, "SUCCESS");
		assertThat(done.get("id").asString()).isEqualTo(id);
		assertThat(done.get("result").asLong()).isEqualTo(5);
		assertThat(done.get("result").isIntegralNumber()).isTrue();
		assertThat(done.get("traceback").isNull()).isTrue();
		assertThat(doneAt(done)).isBefore(Instant.now().plusSeconds(1));
	}

	@Test
	void keywordArgumentsBindByName() {
		assertThat(awaitState(send("tasks.add", "{\"args\": [4], \"kwargs\": {\"y\": 5}}"), "SUCCESS")
			.get("result")
			.asLong()).isEqualTo(9);
		assertThat(awaitState(send("tasks.mul", "{\"kwargs\": {\"y\": 7, \"x\": 6}}"), "SUCCESS").get("result")
			.asLong()).isEqualTo(42);
	}

	@Test
	void listAndAnyJsonArgumentsRoundTrip() {
		assertThat(awaitState(send("tasks.xsum", "{\"args\": [[1, 2, 3, 40]]}"), "SUCCESS").get("result").asLong())
			.isEqualTo(46);
		JsonNode identity = awaitState(send("tasks.identity", "{\"args\": [{\"a\": [1, \"b\", null, 2.5, true]}]}"),
				"SUCCESS");
		assertThat(identity.get("result").toString()).isEqualTo("{\"a\":[1,\"b\",null,2.5,true]}");
	}

	@Test
	void failureStoresExceptionAndTraceback() {
		JsonNode failed = awaitState(send("tasks.fail", "{\"args\": [\"boom at step 3\"]}"), "FAILURE");
		JsonNode result = failed.get("result");
		assertThat(result.get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(result.get("exc_module").asString()).isEqualTo("java.lang");
		assertThat(result.get("exc_message").get(0).asString()).isEqualTo("boom at step 3");
		assertThat(failed.get("traceback").asString()).contains("IllegalStateException: boom at step 3")
			.contains("SampleTasks.fail");
		assertThat(failed.get("date_done").isNull()).isFalse();
	}

	@Test
	void progressIsVisibleWhileRunningThenSuccess() {
		String id = send("tasks.progress", "{\"args\": [6]}");
		List<Long> seen = new ArrayList<>();
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
			JsonNode status = status(id);
			if ("PROGRESS".equals(status.get("state").asString())) {
				assertThat(status.get("result").get("total").asLong()).isEqualTo(6);
				seen.add(status.get("result").get("current").asLong());
			}
			return seen.size() >= 2 && !seen.get(0).equals(seen.get(seen.size() - 1));
		});
		assertThat(seen).isSorted().allSatisfy((current) -> assertThat(current).isBetween(1L, 6L));
		assertThat(awaitState(id, "SUCCESS").get("result").asLong()).isEqualTo(6);
	}

	@Test
	void countdownHoldsTheTask() {
		Instant before = Instant.now();
		String id = send("tasks.add", "{\"args\": [1, 1], \"countdown\": 2}");
		assertThat(status(id).get("state").asString()).isEqualTo("PENDING");
		JsonNode done = awaitState(id, "SUCCESS");
		assertThat(done.get("result").asLong()).isEqualTo(2);
		assertThat(doneAt(done)).isAfterOrEqualTo(before.plusSeconds(2).minusMillis(10));
	}

	@Test
	void etaHoldsTheTask() {
		Instant eta = Instant.now().plusMillis(1500);
		String id = send("tasks.mul", "{\"args\": [3, 3], \"eta\": \"" + eta + "\"}");
		assertThat(status(id).get("state").asString()).isEqualTo("PENDING");
		JsonNode done = awaitState(id, "SUCCESS");
		assertThat(done.get("result").asLong()).isEqualTo(9);
		assertThat(doneAt(done)).isAfterOrEqualTo(eta.minusMillis(10));
	}

	@Test
	void expiresInThePastRevokes() {
		JsonNode revoked = awaitState(
				send("tasks.add", "{\"args\": [1, 2], \"expires\": \"2000-01-01T00:00:00Z\"}"), "REVOKED");
		assertThat(revoked.get("result").get("exc_type").asString()).isEqualTo("TaskRevokedError");
		assertThat(awaitState(send("tasks.add", "{\"args\": [1, 2], \"expires\": 60}"), "SUCCESS").get("result")
			.asLong()).isEqualTo(3);
	}

	@Test
	void unknownTaskFailsWithNotRegistered() {
		JsonNode failed = awaitState(send("tasks.missing", "{\"args\": [1]}"), "FAILURE");
		assertThat(failed.get("result").get("exc_type").asString()).isEqualTo("NotRegistered");
		assertThat(failed.get("result").get("exc_message").toString()).contains("tasks.missing");
	}

	@Test
	void wrongArgumentTypesFailWithTypeError() {
		JsonNode failed = awaitState(send("tasks.add", "{\"args\": [\"a\", \"b\"]}"), "FAILURE");
		assertThat(failed.get("result").get("exc_type").asString()).isEqualTo("TypeError");
		assertThat(failed.get("result").get("exc_message").get(0).asString()).contains("tasks.add")
			.contains("'x'");
	}

	@Test
	void noBodySendsWithoutArguments() {
		Response sent = this.http.post("/api/tasks/tasks.add", null);
		assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
		JsonNode failed = awaitState(sent.json().get("id").asString(), "FAILURE");
		assertThat(failed.get("result").get("exc_type").asString()).isEqualTo("TypeError");
		assertThat(failed.get("result").get("exc_message").get(0).asString()).contains("'x'");
	}

	@Test
	void unknownTaskIdIsPending() {
		JsonNode status = status("3f1b6c2e-0000-4000-8000-000000000000");
		assertThat(status.get("state").asString()).isEqualTo("PENDING");
		assertThat(status.get("result").isNull()).isTrue();
		assertThat(status.get("date_done").isNull()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestsAnswer400WithMessage(String body, String fragment) {
		Response response = this.http.post("/api/tasks/tasks.add", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.json().propertyNames()).containsExactly("error");
		assertThat(response.json().get("error").asString()).containsIgnoringCase(fragment);
	}

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("{\"args\": [1, 2", "Invalid request body"),
				Arguments.of("not json", "Invalid request body"),
				Arguments.of("{\"args\": [1, 2], \"countdown\": -1}", "countdown must not be negative"),
				Arguments.of("{\"args\": [1, 2], \"argz\": [3]}", "argz"),
				Arguments.of("{\"countdown\": \"soon\"}", "Invalid request body"),
				Arguments.of("{\"args\": {\"x\": 1}}", "Invalid request body"),
				Arguments.of("{\"kwargs\": [1, 2]}", "Invalid request body"),
				Arguments.of("{\"priority\": \"high\"}", "Invalid request body"),
				Arguments.of("{\"priority\": 256}", "priority must be between 0 and 255"),
				Arguments.of("{\"priority\": -1}", "priority must be between 0 and 255"),
				Arguments.of("{\"queue\": \" \"}", "queue"),
				Arguments.of("{\"expires\": true}", "expires must be a number of seconds or an ISO-8601"),
				Arguments.of("{\"expires\": -5}", "expires must not be negative"),
				Arguments.of("{\"eta\": \"tomorrow\"}", "eta must be an ISO-8601 date-time"),
				Arguments.of("{\"eta\": \"2030-01-01T00:00:00Z\", \"countdown\": 1}", "cannot both be given"));
	}

	private static Instant doneAt(JsonNode status) {
		String dateDone = status.get("date_done").asString();
		assertThat(dateDone).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
		return OffsetDateTime.parse(dateDone).toInstant();
	}

	private String send(String task, String body) {
		Response sent = this.http.post("/api/tasks/" + task, body);
		assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
		return sent.json().get("id").asString();
	}

	private JsonNode status(String id) {
		Response response = this.http.get("/api/tasks/" + id);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private JsonNode awaitState(String id, String state) {
		return await().atMost(TIMEOUT)
			.until(() -> status(id), (status) -> state.equals(status.get("state").asString()));
	}

}
