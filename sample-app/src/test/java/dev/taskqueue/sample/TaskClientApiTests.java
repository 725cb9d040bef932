package dev.taskqueue.sample;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.sample.HttpJson.Response;
import dev.taskqueue.sample.SampleTaskClient.Point;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The task clients and the REST API that uses them, against the running application, its
 * in-memory broker and backend, and its worker. No Python here: the {@link PythonTaskClient}
 * is pointed at the Java worker's queue, where {@code tasks.mul} and {@code tasks.fail} have
 * Java twins and {@code tasks.py_add} is not registered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.python-queue=celery")
class TaskClientApiTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	@Autowired
	private SampleTaskClient client;

	@Autowired
	private TaskOperations tasks;

	private HttpJson http;

	@BeforeEach
	void http() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void addAnswersTheSum() {
		Response response = this.http.get("/api/clients/add?x=2&y=3");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().propertyNames()).containsExactly("result");
		assertThat(response.json().get("result").asLong()).isEqualTo(5);
	}

	@Test
	void mulAnswersTheIdAtOnce() {
		Response sent = this.http.get("/api/clients/mul?x=6&y=7");
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		String id = sent.json().get("id").asString();
		assertThat(sent.location()).hasPath("/api/tasks/" + id);
		JsonNode done = await().atMost(TIMEOUT)
			.until(() -> this.http.get("/api/tasks/" + id).json(),
					(status) -> "SUCCESS".equals(status.get("state").asString()));
		assertThat(done.get("result").asLong()).isEqualTo(42);
	}

	@Test
	void xsumAnswersWhenTheResultComes() {
		Response response = this.http.get("/api/clients/xsum?numbers=1,2,3,40");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("result").asLong()).isEqualTo(46);
	}

	@Test
	void missingOrMistypedParametersAnswer400() {
		Response missing = this.http.get("/api/clients/add?x=2");
		assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
		assertThat(missing.json().get("error").asString()).contains("'y'");
		Response mistyped = this.http.get("/api/clients/python/mul?x=two&y=3");
		assertThat(mistyped.status()).as(mistyped.toString()).isEqualTo(400);
		assertThat(mistyped.json().get("error").asString()).isEqualTo("Invalid value 'two' for x");
	}

	@Test
	void failedTaskAnswers502WithTheException() {
		Response failed = this.http.get("/api/clients/python/fail?message=boom-at-step-3");
		assertThat(failed.status()).as(failed.toString()).isEqualTo(502);
		assertThat(failed.json().get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(failed.json().get("exc_module").asString()).isEqualTo("java.lang");
		assertThat(failed.json().get("exc_message").asString()).isEqualTo("boom-at-step-3");
		assertThat(failed.json().get("error").asString()).startsWith("Task " + failed.json().get("task_id").asString())
			.endsWith("failed: IllegalStateException: boom-at-step-3");
		Response notRegistered = this.http.get("/api/clients/python/add?x=1&y=2");
		assertThat(notRegistered.status()).as(notRegistered.toString()).isEqualTo(502);
		assertThat(notRegistered.json().get("exc_type").asString()).isEqualTo("NotRegistered");
		assertThat(notRegistered.json().get("exc_message").asString()).contains("tasks.py_add");
	}

	@Test
	void keywordArgumentsReachTheTask() {
		Response response = this.http.get("/api/clients/python/mul?x=6&y=7");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("result").asLong()).isEqualTo(42);
		assertThat(this.client.mulByName(-3, 5)).isEqualTo(-15);
	}

	@Test
	void clientReturnsTypedResults() {
		assertThat(this.client.add(40, 2)).isEqualTo(42);
		AsyncResult<Long> product = this.client.mul(6, 7);
		assertThat(product.get(TIMEOUT)).isInstanceOf(Long.class).isEqualTo(42L);
		List<Point> points = List.of(new Point(1, 2.5), new Point(-3, 0));
		assertThat(this.client.identity(points)).isEqualTo(points);
	}

	@Test
	void futureCompletesWithTheResultOrTheFailure() {
		CompletableFuture<Long> sum = this.client.xsum(List.of(1L, 2L, 3L, 4L));
		assertThat(sum).succeedsWithin(TIMEOUT).isEqualTo(10L);
		CompletableFuture<Long> failed = this.client.xsum(Arrays.asList(1L, null));
		assertThat(failed).failsWithin(TIMEOUT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(TaskFailedException.class,
					(ex) -> assertThat(ex.getExceptionType()).isEqualTo("NullPointerException"));
	}

	@Test
	void failureComesBackAsTaskFailedException() {
		AsyncResult<Void> result = this.client.fail("boom from the client");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getTaskId()).isEqualTo(result.id());
			assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
			assertThat(ex.getExceptionMessage()).isEqualTo("boom from the client");
			assertThat(ex.getRemoteTraceback()).contains("SampleTasks.fail");
		});
	}

	@Test
	void optionsParameterAppliesToTheCall() {
		String id = "client-" + System.nanoTime();
		AsyncResult<Long> product = this.client.mul(3, 4, TaskOptions.none().taskId(id));
		assertThat(product.id()).isEqualTo(id);
		assertThat(product.get(TIMEOUT)).isEqualTo(12L);
	}

	@Test
	void signatureIsBuiltNotSent() {
		Signature add = this.client.addSignature(2, 3);
		assertThat(add.task()).isEqualTo("tasks.add");
		assertThat(add.args()).containsExactly(2L, 3L);
		Signature chain = Signature.chain(add, this.tasks.signature("tasks.mul").args(10));
		assertThat(this.tasks.send(chain).get(TIMEOUT)).isEqualTo(50);
	}

}
