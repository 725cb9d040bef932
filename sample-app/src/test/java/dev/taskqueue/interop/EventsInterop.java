package dev.taskqueue.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery's own {@code EventReceiver} and {@code State} (what {@code celery events} and Flower
 * use) see a Java worker alive through its heartbeats, and the task events of a Java task.
 */
abstract class EventsInterop {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final Stack stack;

	EventsInterop(Stack stack) {
		this.stack = stack;
	}

	@Test
	void celerysEventReceiverSeesTheJavaWorkerAndItsTask() throws Exception {
		String queue = Interop.uniqueQueue("events");
		String node = "java-" + UUID.randomUUID().toString().substring(0, 8) + "@interop";
		Map<String, String> env = this.stack.pythonEnv(queue);
		try (ConfigurableApplicationContext java = JavaSample.start(this.stack.javaProperties(queue,
				"taskqueue.worker.hostname=" + node, "taskqueue.worker.send-task-events=true"))) {
			Path log = Interop.logFile("events-" + node);
			ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "client.py", "events", "8")
				.directory(PythonCelery.PYTHON_DIR.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().putAll(env);
			Process capture = builder.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("listening"));
			AsyncResult<Object> sum = java.getBean(TaskOperations.class).task("tasks.add").args(2, 3).queue(queue)
				.send();
			assertThat(sum.get(Duration.ofSeconds(20))).isEqualTo(5);
			assertThat(capture.waitFor(60, TimeUnit.SECONDS)).isTrue();
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			JsonNode captured = MAPPER.readTree(lines.get(lines.size() - 1));

			JsonNode worker = captured.get("workers").get(node);
			assertThat(worker).as("workers seen: %s", captured.get("workers")).isNotNull();
			assertThat(worker.get("alive").asBoolean()).isTrue();
			assertThat(worker.get("sw_ident").asString()).isEqualTo("taskqueue");
			JsonNode task = captured.get("tasks").get(sum.id());
			assertThat(task.get("state").asString()).isEqualTo("SUCCESS");
			assertThat(task.get("name").asString()).isEqualTo("tasks.add");
			assertThat(task.get("result").asString()).isEqualTo("5");
			assertThat(task.get("worker").asString()).isEqualTo(node);
			assertThat(captured.get("events").toString()).contains("task-received").contains("task-started")
				.contains("task-succeeded").contains("worker-heartbeat");
		}
	}

}
