package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.worker.RetryTasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries through real brokers: the worker sends the retry to the queue the task came from and
 * stores RETRY in the result backend, on Redis (with the Redis backend, database 8 under a key
 * prefix of its own) and on RabbitMQ (with the {@code rpc://} backend).
 */
class TaskRetryBrokerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void retryRoundTripsThroughTheBroker(String broker) {
		String queue = "retry-" + UUID.randomUUID().toString().substring(0, 8);
		try (ConfigurableApplicationContext context = start(broker, queue)) {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			RetryTasks retryTasks = context.getBean(RetryTasks.class);
			AsyncResult<Object> once = tasks.send("r.retry_once");
			TaskResult retry = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
				.until(once::meta, (meta) -> meta.state().equals(TaskState.RETRY) || meta.ready());
			assertThat(once.get(TIMEOUT)).isEqualTo(1);
			assertThat(retry.state()).as("RETRY is stored before the retry runs").isEqualTo(TaskState.RETRY);
			assertThat(retryTasks.runsOf(once.id())).hasSize(2);

			AsyncResult<Object> failing = tasks.send("r.always_fails");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failing.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("attempt 2"));
			List<Instant> runs = retryTasks.runsOf(failing.id());
			assertThat(runs).hasSize(3);
			assertThat(Duration.between(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			assertThat(Duration.between(runs.get(1), runs.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		}
		finally {
			if (broker.equals("amqp")) {
				RabbitServer.deleteQueues(queue);
			}
		}
	}

	private static ConfigurableApplicationContext start(String broker, String queue) {
		Map<String, Object> properties = broker.equals("redis")
				? Map.of("taskqueue.broker.url", "redis://127.0.0.1:6379/8", "taskqueue.backend.url",
						"redis://127.0.0.1:6379/8", "taskqueue.broker.redis.global-keyprefix", queue + ":")
				: Map.of("taskqueue.broker.url", "amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url",
						"rpc://");
		return new SpringApplicationBuilder(RetryApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.properties(Map.of("taskqueue.default-queue", queue, "taskqueue.worker.concurrency", 2))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
	static class RetryApplication {

		@Bean
		RetryTasks retryTasks() {
			return new RetryTasks();
		}

	}

}
