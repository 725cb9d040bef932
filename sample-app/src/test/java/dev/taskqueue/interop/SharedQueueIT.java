package dev.taskqueue.interop;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python Celery worker and a Java worker consume one Redis queue: every one of 1,000 tasks is
 * executed exactly once, and both sides take part.
 */
class SharedQueueIT {

	private static final int TASKS = 1000;

	@Test
	void everyTaskRunsExactlyOnce() throws Exception {
		String queue = Interop.uniqueQueue("shared");
		String key = "executions:" + UUID.randomUUID();
		Process python = PythonCelery.startWorker("shared", Interop.pythonEnv(queue), "-Q", queue, "-c", "2");
		try (ConfigurableApplicationContext java = JavaSample.start(new Class<?>[] { RecordTask.class },
				Interop.javaProperties(queue, "taskqueue.worker.concurrency=2"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			for (int i = 0; i < TASKS; i++) {
				tasks.task("tasks.record").args(key).ignoreResult(true).send();
			}
			await().atMost(Duration.ofSeconds(120))
				.until(() -> Interop.withRedis(Interop.RECORDS, (redis) -> redis.hlen(key)) == TASKS);
			Map<String, String> executions = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key));
			assertThat(executions).hasSize(TASKS).allSatisfy((id, count) -> assertThat(count).isEqualTo("1"));
			Map<String, String> bySide = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key + ":by"));
			assertThat(Long.parseLong(bySide.getOrDefault("java", "0"))).isPositive();
			assertThat(Long.parseLong(bySide.getOrDefault("python", "0"))).isPositive();
			assertThat(Long.parseLong(bySide.get("java")) + Long.parseLong(bySide.get("python"))).isEqualTo(TASKS);
		}
		finally {
			PythonCelery.stop(python);
		}
	}

}
