package dev.taskqueue.sample;

import java.time.Duration;

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
 * Tests of the actuator's {@code taskqueue} endpoint over HTTP when
 * {@code management.endpoint.taskqueue.show-values=always}: running tasks show their
 * arguments as Celery's {@code argsrepr} and {@code kwargsrepr}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.taskqueue.show-values=always")
class ActuatorShowValuesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	@Test
	void taskqueueEndpointShowsArgumentsOfRunningTaskAsPythonReprs() {
		HttpJson http = new HttpJson(this.port);
		Response sent = http.post("/api/tasks/tasks.sleep", "{\"args\": [1.5]}");
		assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
		String id = sent.json().get("id").asString();
		JsonNode active = await().atMost(TIMEOUT)
			.until(() -> activeTask(http, id), (task) -> !task.isMissingNode());
		assertThat(active.get("args").asString()).isEqualTo("(1.5,)");
		assertThat(active.get("kwargs").asString()).isEqualTo("{}");
	}

	private static JsonNode activeTask(HttpJson http, String id) {
		Response response = http.get("/actuator/taskqueue");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		for (JsonNode task : response.json().get("active")) {
			if (id.equals(task.get("id").asString())) {
				return task;
			}
		}
		return MissingNode.getInstance();
	}

}
