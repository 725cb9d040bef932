package dev.taskqueue.interop;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample jar on RabbitMQ with the {@code rpc://} backend, as an operator runs it:
 * it runs the tasks a Python Celery client sends, and its REST API sends a task that a Python
 * Celery worker runs and reads the result back.
 */
class SampleJarIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void sampleJarServesPythonClientsAndItsApiSendsToPythonWorkers() throws Exception {
		Stack stack = Stack.AMQP_RPC;
		String javaQueue = Interop.uniqueQueue("jar-java");
		String pythonQueue = Interop.uniqueQueue("jar-python");
		Process python = PythonCelery.startWorker("jar-python", stack.pythonEnv(pythonQueue), "-Q", pythonQueue, "-c",
				"1");
		try (JavaWorkerProcess jar = JavaWorkerProcess.start("jar", stack.javaProperties(javaQueue))) {
			JsonNode add = PythonCelery.client(stack.pythonEnv(javaQueue), "send", "tasks.add",
					"{\"args\": [2, 3], \"queue\": \"" + javaQueue + "\", \"wait\": 20}");
			assertThat(add.get("state").asString()).isEqualTo("SUCCESS");
			assertThat(add.get("result").asInt()).isEqualTo(5);

			RestClient http = RestClient.create("http://127.0.0.1:" + jar.httpPort());
			JsonNode sent = JSON.readTree(http.post()
				.uri("/api/tasks/tasks.add")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"args\": [20, 22], \"queue\": \"" + pythonQueue + "\"}")
				.retrieve()
				.body(String.class));
			String id = sent.get("id").asString();
			JsonNode status = await().atMost(TIMEOUT)
				.until(() -> JSON.readTree(http.get().uri("/api/tasks/" + id).retrieve().body(String.class)),
						(state) -> state.get("state").asString().equals("SUCCESS"));
			assertThat(status.get("result").asInt()).isEqualTo(42);
		}
		finally {
			PythonCelery.stop(python);
		}
	}

}
