package dev.taskqueue.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

import dev.taskqueue.sample.HttpJson.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the actuator's {@code taskqueue} endpoint and {@code taskqueue} health component,
 * over HTTP against the running application.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ActuatorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	private HttpJson http;

	@BeforeEach
	void client() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void taskqueueEndpointListsTasksAndProcessedCounts() {
		long before = taskqueue().path("processed").path("tasks.mul").path("SUCCESS").asLong(0);
		awaitSuccess(send("tasks.mul", "{\"args\": [2, 4]}"));
		awaitSuccess(send("tasks.mul", "{\"args\": [3, 4]}"));
		JsonNode taskqueue = await().atMost(TIMEOUT)
			.until(this::taskqueue,
					(json) -> json.path("processed").path("tasks.mul").path("SUCCESS").asLong(0) == before + 2);
		assertThat(strings(taskqueue.get("registeredTasks"))).containsExactly("tasks.add", "tasks.fail",
				"tasks.flaky", "tasks.identity", "tasks.mul", "tasks.progress", "tasks.retry_once", "tasks.sleep",
				"tasks.xsum");
		assertThat(taskqueue.get("node").asString()).startsWith("celery@");
		assertThat(taskqueue.get("running").asBoolean()).isTrue();
		assertThat(taskqueue.get("broker").asString()).isEqualTo("memory://");
		assertThat(taskqueue.get("backend").asString()).isEqualTo("memory://");
		assertThat(strings(taskqueue.get("queues"))).containsExactly("celery");
		assertThat(taskqueue.get("concurrency").asInt()).isPositive();
		assertThat(taskqueue.get("prefetchCount").asInt()).isEqualTo(taskqueue.get("concurrency").asInt() * 4);
		assertThat(taskqueue.get("processedTotal").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(taskqueue.get("rejected").isNumber()).isTrue();
		assertThat(taskqueue.get("reserved").isNumber()).isTrue();
	}

	@Test
	void taskqueueEndpointShowsRunningTaskWithItsArgumentsHidden() {
		String id = send("tasks.sleep", "{\"args\": [1.5]}");
		JsonNode active = await().atMost(TIMEOUT).until(() -> activeTask(id), (task) -> !task.isMissingNode());
		assertThat(active.get("name").asString()).isEqualTo("tasks.sleep");
		assertThat(active.get("args").asString()).isEqualTo("******");
		assertThat(active.get("kwargs").asString()).isEqualTo("******");
		assertThat(active.get("startTime").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat(active.get("thread").asString()).isNotBlank();
		assertThat(awaitSuccess(id).get("result").asDouble()).isEqualTo(1.5);
		await().atMost(TIMEOUT).until(() -> activeTask(id).isMissingNode());
	}

	@Test
	void taskqueueEndpointShowsTheClusterATaskAndTheMetricsOfTasks() {
		String id = send("tasks.add", "{\"args\": [20, 22]}");
		awaitSuccess(id);
		JsonNode task = await().atMost(TIMEOUT).until(() -> this.http.get("/actuator/taskqueue/tasks/" + id).json(),
				(json) -> "SUCCESS".equals(json.path("state").asString()));
		assertThat(task.get("result").asString()).isEqualTo("******");
		JsonNode cluster = this.http.get("/actuator/taskqueue/cluster").json();
		assertThat(cluster.get("nodes").get(0).get("name").asString()).isEqualTo(taskqueue().get("node").asString());
		assertThat(cluster.get("nodes").get(0).get("alive").asBoolean()).isTrue();
		assertThat(this.http.get("/actuator/taskqueue/nothing").status()).isEqualTo(400);
		Response metrics = this.http.get("/actuator/metrics/taskqueue.task.succeeded");
		assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
		assertThat(metrics.json().path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
		assertThat(this.http.get("/actuator/metrics").json().get("names").toString())
			.contains("taskqueue.task.execution", "taskqueue.task.publish", "taskqueue.queue.length");
	}

	@Test
	void healthShowsTaskqueueComponentUp() {
		Response response = this.http.get("/actuator/health");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode component = response.json().path("components").path("taskqueue");
		assertThat(component.path("status").asString()).as(response.toString()).isEqualTo("UP");
		assertThat(component.path("details").path("broker").asString()).isEqualTo("memory://");
		assertThat(response.json().path("status").asString()).isEqualTo("UP");
	}

	private JsonNode taskqueue() {
		Response response = this.http.get("/actuator/taskqueue");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private JsonNode activeTask(String id) {
		for (JsonNode task : taskqueue().get("active")) {
			if (id.equals(task.get("id").asString())) {
				return task;
			}
		}
		return MissingNode.getInstance();
	}

	private String send(String task, String body) {
		Response sent = this.http.post("/api/tasks/" + task, body);
		assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
		return sent.json().get("id").asString();
	}

	private JsonNode awaitSuccess(String id) {
		return await().atMost(TIMEOUT)
			.until(() -> this.http.get("/api/tasks/" + id).json(),
					(status) -> "SUCCESS".equals(status.get("state").asString()));
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

}
