package dev.taskqueue.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kombu's ack emulation across languages: messages a worker took and did not acknowledge before
 * it was killed with SIGKILL are restored after the visibility timeout by a worker of the other
 * language, and run there.
 */
class RestoreIT {

	private static final Duration VISIBILITY = Duration.ofSeconds(3);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void javaRestoresWhatAKilledPythonWorkerHeld() throws Exception {
		String queue = Interop.uniqueQueue("restore-py");
		String key = "executions:" + UUID.randomUUID();
		Map<String, String> env = Interop.pythonEnv(queue, "INTEROP_VISIBILITY", "3", "INTEROP_ACKS_LATE", "1");
		List<String> ids = new ArrayList<>();
		// All four are queued before the worker starts: it reserves them at once and is killed
		// while the first still sleeps, however slowly the clients ran
		ids.add(send(env, queue, "tasks.sleep", "4"));
		for (int i = 0; i < 3; i++) {
			ids.add(send(env, queue, "tasks.record", "\"" + key + "\""));
		}
		Process python = PythonCelery.startWorker("restore-py", env, "-Q", queue, "-c", "1");
		try {
			await().atMost(TIMEOUT).until(() -> Interop.unackedTags(queue).size() == 4);
		}
		finally {
			python.destroyForcibly().waitFor();
		}
		try (ConfigurableApplicationContext java = JavaSample.start(new Class<?>[] { RecordTask.class },
				Interop.javaProperties(queue, "taskqueue.broker.redis.visibility-timeout=3s"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			for (String id : ids) {
				assertThat(tasks.result(id).get(TIMEOUT)).isNotNull();
			}
			Map<String, String> executions = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key));
			assertThat(executions).hasSize(3).allSatisfy((id, count) -> assertThat(count).isEqualTo("1"));
			String byJava = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hget(key + ":by", "java"));
			assertThat(byJava).isEqualTo("3");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Interop.unackedTags(queue)).isEmpty());
		}
	}

	@Test
	void pythonRestoresWhatAKilledJavaWorkerHeld() throws Exception {
		String queue = Interop.uniqueQueue("restore-java");
		Map<String, String> env = Interop.pythonEnv(queue, "INTEROP_VISIBILITY", "3");
		List<String> ids = new ArrayList<>();
		List<String> held;
		try (JavaWorkerProcess java = JavaWorkerProcess.start("restore-java",
				Interop.javaProperties(queue, "taskqueue.broker.redis.visibility-timeout=3s",
						"taskqueue.task.acks-late=true", "taskqueue.worker.concurrency=1",
						"taskqueue.worker.prefetch-multiplier=4"))) {
			ids.add(send(env, queue, "tasks.sleep", "5"));
			for (int i = 0; i < 3; i++) {
				ids.add(send(env, queue, "tasks.add", i + ", 100"));
			}
			await().atMost(TIMEOUT).until(() -> Interop.unackedTags(queue).size() == 4);
			held = Interop.unackedTags(queue);
			java.kill();
		}
		for (String id : ids) {
			assertThat(PythonCelery.client(env, "get", id).get("state").asString()).isEqualTo("PENDING");
		}
		await().atMost(TIMEOUT).until(() -> Interop.unackedOlderThan(held, VISIBILITY.plusMillis(500)));
		Process python = PythonCelery.startWorker("restore-java", env, "-Q", queue, "-c", "2");
		try {
			assertThat(PythonCelery.client(env, "get", ids.get(0), "30").get("result").asInt()).isEqualTo(5);
			for (int i = 0; i < 3; i++) {
				var out = PythonCelery.client(env, "get", ids.get(i + 1), "30");
				assertThat(out.get("state").asString()).as("state of %s", ids.get(i + 1)).isEqualTo("SUCCESS");
				assertThat(out.get("result").asInt()).isEqualTo(i + 100);
			}
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Interop.unackedTags(queue)).isEmpty());
		}
		finally {
			PythonCelery.stop(python);
		}
	}

	/**
	 * Send a task with the Python client.
	 * @param env the client's environment
	 * @param queue the queue to send to
	 * @param task the task name
	 * @param args the positional arguments, as the inside of a JSON array
	 * @return the task id
	 */
	private static String send(Map<String, String> env, String queue, String task, String args) throws Exception {
		return PythonCelery.client(env, "send", task, "{\"args\": [" + args + "], \"queue\": \"" + queue + "\"}")
			.get("id")
			.asString();
	}

}
