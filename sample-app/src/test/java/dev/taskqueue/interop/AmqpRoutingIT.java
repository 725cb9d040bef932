package dev.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing on RabbitMQ: a route to a topic exchange that a Python worker's queue is bound to,
 * priorities on an {@code x-max-priority} queue, and Python and Java workers sharing a queue.
 */
class AmqpRoutingIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void routeToTopicExchangeReachesPythonWorker() throws Exception {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String queue = "feeds-" + suffix;
		String exchange = "feed_ex-" + suffix;
		Map<String, String> env = Stack.AMQP_REDIS.pythonEnv(queue, "INTEROP_TOPIC_QUEUE",
				queue + ":" + exchange + ":feeds.#");
		Process python = PythonCelery.startWorker("amqp-topic", env, "-Q", queue, "-c", "2");
		try (ConfigurableApplicationContext java = JavaSample.start(Stack.AMQP_REDIS.javaProperties(queue,
				"taskqueue.worker.enabled=false", "taskqueue.routes.[tasks.*].exchange=" + exchange,
				"taskqueue.routes.[tasks.*].routing-key=feeds.new"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			assertThat(tasks.send("tasks.add", 20, 22).get(TIMEOUT)).isEqualTo(42);
		}
		finally {
			PythonCelery.stop(python);
		}
	}

	@Test
	void highPriorityTaskRunsBeforeHundredLowOnes() {
		String queue = Interop.uniqueQueue("amqp-priority");
		try (ConfigurableApplicationContext java = JavaSample.start(Stack.AMQP_REDIS.javaProperties(queue,
				"taskqueue.queue-max-priority=10", "taskqueue.worker.auto-startup=false",
				"taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch-multiplier=1"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			List<AsyncResult<Object>> low = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				low.add(tasks.task("tasks.add").args(i, 0).priority(0).send());
			}
			AsyncResult<Object> high = tasks.task("tasks.add").args(1000, 0).priority(9).send();
			java.getBean(WorkerContainer.class).start();
			assertThat(high.get(TIMEOUT)).isEqualTo(1000);
			Instant highDone = high.meta().dateDone();
			for (AsyncResult<Object> result : low) {
				result.get(TIMEOUT);
			}
			Instant firstLow = low.stream().map((result) -> result.meta().dateDone()).min(Instant::compareTo)
				.orElseThrow();
			assertThat(highDone).isBefore(firstLow);
		}
	}

	@Test
	void pythonAndJavaWorkersShareAQueueAndRunEachTaskOnce() throws Exception {
		String queue = Interop.uniqueQueue("amqp-shared");
		String key = "executions:" + UUID.randomUUID();
		Process python = PythonCelery.startWorker("amqp-shared", Stack.AMQP_REDIS.pythonEnv(queue), "-Q", queue, "-c",
				"2");
		try (ConfigurableApplicationContext java = JavaSample.start(new Class<?>[] { RecordTask.class },
				Stack.AMQP_REDIS.javaProperties(queue, "taskqueue.worker.concurrency=2"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			for (int i = 0; i < 1000; i++) {
				tasks.task("tasks.record").args(key).ignoreResult(true).send();
			}
			await().atMost(TIMEOUT).until(() -> Interop.withRedis(Interop.RECORDS, (redis) -> redis.hlen(key)) == 1000);
			Map<String, String> executions = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key));
			assertThat(executions).hasSize(1000).allSatisfy((id, count) -> assertThat(count).isEqualTo("1"));
			Map<String, String> bySide = Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key + ":by"));
			assertThat(Long.parseLong(bySide.getOrDefault("java", "0"))).isPositive();
			assertThat(Long.parseLong(bySide.getOrDefault("python", "0"))).isPositive();
		}
		finally {
			PythonCelery.stop(python);
		}
	}

}
