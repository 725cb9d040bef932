package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on Redis: a Java worker killed with SIGKILL in the middle of an acks-late task, and
 * Redis restarted under a running worker.
 */
class RedisFaultIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void acksLateTaskOfAKilledWorkerRunsAgain() throws Exception {
		String queue = Interop.uniqueQueue("killed");
		String[] properties = Interop.javaProperties(queue, "taskqueue.broker.redis.visibility-timeout=3s",
				"taskqueue.task.acks-late=true", "taskqueue.worker.concurrency=1");
		try (ConfigurableApplicationContext client = JavaSample.start(Interop.javaProperties(queue,
				"taskqueue.worker.enabled=false"))) {
			TaskOperations tasks = client.getBean(TaskOperations.class);
			AsyncResult<Object> result;
			List<String> held;
			try (JavaWorkerProcess first = JavaWorkerProcess.start("killed-1", properties)) {
				result = tasks.send("tasks.sleep", 3);
				await().atMost(TIMEOUT).until(() -> Interop.unackedTags(queue).size() == 1);
				held = Interop.unackedTags(queue);
				first.kill();
			}
			assertThat(result.state().name()).isEqualTo("PENDING");
			try (JavaWorkerProcess second = JavaWorkerProcess.start("killed-2", properties)) {
				assertThat(result.get(TIMEOUT)).isEqualTo(3.0);
				// With acks late, the result is stored before the message is acknowledged, as in Celery.
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(Interop.unackedTags(queue)).doesNotContainAnyElementsOf(held));
			}
		}
	}

	@Test
	void workerSurvivesRedisRestartAndHealthFollows() throws Exception {
		String queue = Interop.uniqueQueue("restart");
		try (ConfigurableApplicationContext java = JavaSample.start(Interop.javaProperties(queue))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			HealthIndicator health = java.getBean("taskqueueHealthIndicator", HealthIndicator.class);
			assertThat(tasks.send("tasks.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			try {
				RedisServer.stop();
				await().atMost(TIMEOUT).until(() -> Status.DOWN.equals(health.health().getStatus()));
				assertThat(health.health().getDetails().toString()).doesNotContain("password");
			}
			finally {
				RedisServer.start();
			}
			await().atMost(TIMEOUT).until(() -> Status.UP.equals(health.health().getStatus()));
			assertThat(tasks.send("tasks.add", 2, 3).get(TIMEOUT)).isEqualTo(5);
		}
	}

}
