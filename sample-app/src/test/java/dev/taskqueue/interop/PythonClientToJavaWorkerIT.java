package dev.taskqueue.interop;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Python Celery client sends tasks that the Java sample app's worker runs on Redis, and
 * reads their results back with Celery's own {@code AsyncResult}.
 */
class PythonClientToJavaWorkerIT {

	private static final String QUEUE = Interop.uniqueQueue("py2java");

	private static final Map<String, String> ENV = Interop.pythonEnv(QUEUE);

	private static ConfigurableApplicationContext javaWorker;

	@BeforeAll
	static void startJavaWorker() {
		javaWorker = JavaSample.start(Interop.javaProperties(QUEUE));
	}

	@AfterAll
	static void stopJavaWorker() {
		javaWorker.close();
	}

	@Test
	void sendTaskGetsResult() throws Exception {
		JsonNode out = send("tasks.add", "{\"args\": [2, 3], \"queue\": \"" + QUEUE + "\", \"wait\": 10}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(5);
		assertThat(out.get("date_done").isNull()).isFalse();
	}

	@Test
	void delayGetsResult() throws Exception {
		JsonNode out = PythonCelery.client(ENV, "delay", "tasks.mul", "{\"args\": [6, 7], \"wait\": 10}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(42);
	}

	@Test
	void keywordArgumentsAndListsBind() throws Exception {
		JsonNode kwargs = send("tasks.add", "{\"kwargs\": {\"x\": 20, \"y\": 22}, \"queue\": \"" + QUEUE
				+ "\", \"wait\": 10}");
		assertThat(kwargs.get("result").asInt()).isEqualTo(42);
		JsonNode list = send("tasks.xsum", "{\"args\": [[1, 2, 3, 4]], \"queue\": \"" + QUEUE + "\", \"wait\": 10}");
		assertThat(list.get("result").asInt()).isEqualTo(10);
		JsonNode identity = send("tasks.identity", "{\"args\": [{\"a\": [1, \"x\", null, true]}], \"queue\": \""
				+ QUEUE + "\", \"wait\": 10}");
		assertThat(identity.get("result").toString()).isEqualTo("{\"a\":[1,\"x\",null,true]}");
	}

	@Test
	void failureCarriesMessageAndTraceback() throws Exception {
		JsonNode out = send("tasks.fail", "{\"args\": [\"kaboom\"], \"queue\": \"" + QUEUE + "\", \"wait\": 10}");
		assertThat(out.get("state").asString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(out.get("exc_message").asString()).isEqualTo("kaboom");
		assertThat(out.get("traceback").asString()).contains("java.lang.IllegalStateException: kaboom");
	}

	@Test
	void countdownIsHonoured() throws Exception {
		Instant sent = Instant.now();
		JsonNode out = send("tasks.add", "{\"args\": [1, 1], \"countdown\": 1.5, \"queue\": \"" + QUEUE
				+ "\", \"wait\": 15}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(OffsetDateTime.parse(out.get("date_done").asString()).toInstant()).isAfterOrEqualTo(sent.plusMillis(1500));
	}

	@Test
	void etaIsHonoured() throws Exception {
		Instant eta = Instant.now().plusMillis(1500);
		JsonNode out = send("tasks.add", "{\"args\": [1, 2], \"eta\": \"" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(eta.atOffset(ZoneOffset.UTC)) + "\", \"queue\": \""
				+ QUEUE + "\", \"wait\": 15}");
		assertThat(out.get("result").asInt()).isEqualTo(3);
		assertThat(OffsetDateTime.parse(out.get("date_done").asString()).toInstant()).isAfterOrEqualTo(eta);
	}

	@Test
	void expiredTaskIsRevokedWithoutRunning() throws Exception {
		String expired = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().minusSeconds(5).atOffset(ZoneOffset.UTC));
		JsonNode out = send("tasks.fail", "{\"args\": [\"must not run\"], \"expires\": \"" + expired
				+ "\", \"queue\": \"" + QUEUE + "\", \"wait\": 10}");
		assertThat(out.get("state").asString()).isEqualTo("REVOKED");
		assertThat(out.get("exc_type").asString()).isEqualTo("TaskRevokedError");
		assertThat(out.get("exc_message").asString()).contains("expired");
	}

	@Test
	void progressMetaIsSeenWhileRunning() throws Exception {
		JsonNode out = send("tasks.progress", "{\"args\": [4], \"queue\": \"" + QUEUE
				+ "\", \"wait\": 15, \"watch_progress\": true}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(4);
		assertThat(out.get("progress")).isNotEmpty();
		JsonNode first = out.get("progress").get(0);
		assertThat(first.get("total").asInt()).isEqualTo(4);
		assertThat(first.get("current").asInt()).isBetween(1, 4);
	}

	@Test
	void javaRetryOfATaskPythonSentEndsSuccessAfterRetry() throws Exception {
		JsonNode out = send("tasks.retry_once", "{\"queue\": \"" + QUEUE + "\", \"wait\": 15}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(1);
		assertThat(out.get("states").values()).extracting(JsonNode::asString).contains("RETRY");
	}

	@Test
	void javaAutoretryOfATaskPythonSentRetriesUntilItSucceeds() throws Exception {
		JsonNode out = send("tasks.flaky", "{\"args\": [2], \"queue\": \"" + QUEUE + "\", \"wait\": 15}");
		assertThat(out.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(2);
		assertThat(out.get("states").values()).extracting(JsonNode::asString).contains("RETRY");
	}

	@Test
	void unknownTaskFailsNotRegistered() throws Exception {
		JsonNode out = send("tasks.nosuch", "{\"queue\": \"" + QUEUE + "\", \"wait\": 10}");
		assertThat(out.get("state").asString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("NotRegistered");
	}

	private static JsonNode send(String task, String options) throws Exception {
		return PythonCelery.client(ENV, "send", task, options);
	}

}
