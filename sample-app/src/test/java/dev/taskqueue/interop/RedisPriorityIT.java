package dev.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Priorities sent by Python Celery on Redis: 0 is served before 9 (kombu's priority steps, the
 * opposite of RabbitMQ), by a Java worker that starts after the tasks were queued.
 */
class RedisPriorityIT {

	@Test
	void priorityZeroRunsBeforePriorityNine() throws Exception {
		String queue = Interop.uniqueQueue("priority");
		Map<String, String> env = Interop.pythonEnv(queue);
		List<String> low = new ArrayList<>();
		List<String> high = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			low.add(send(env, queue, 9, i));
		}
		for (int i = 0; i < 5; i++) {
			high.add(send(env, queue, 0, i));
		}
		try (ConfigurableApplicationContext worker = JavaSample.start(Interop.javaProperties(queue,
				"taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch-multiplier=1"))) {
			TaskOperations tasks = worker.getBean(TaskOperations.class);
			List<Instant> highDone = doneTimes(tasks, high);
			List<Instant> lowDone = doneTimes(tasks, low);
			assertThat(highDone.stream().max(Instant::compareTo).orElseThrow())
				.isBefore(lowDone.stream().min(Instant::compareTo).orElseThrow());
		}
	}

	private static String send(Map<String, String> env, String queue, int priority, int i) throws Exception {
		JsonNode out = PythonCelery.client(env, "send", "tasks.add",
				"{\"args\": [" + i + ", " + priority + "], \"priority\": " + priority + ", \"queue\": \"" + queue + "\"}");
		return out.get("id").asString();
	}

	private static List<Instant> doneTimes(TaskOperations tasks, List<String> ids) {
		List<Instant> times = new ArrayList<>();
		for (String id : ids) {
			tasks.result(id).get(Duration.ofSeconds(20));
			times.add(tasks.result(id).meta().dateDone());
		}
		return times;
	}

}
