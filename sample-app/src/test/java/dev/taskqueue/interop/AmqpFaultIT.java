package dev.taskqueue.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on RabbitMQ: the broker restarted under a worker, with confirmed durable tasks queued,
 * and a worker killed with SIGKILL in the middle of an acks-late task.
 */
class AmqpFaultIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@Test
	void confirmedTasksSurviveARestartAndTheWorkerRecoversByItself() throws Exception {
		String queue = Interop.uniqueQueue("amqp-restart");
		try (ConfigurableApplicationContext java = JavaSample
			.start(Stack.AMQP_REDIS.javaProperties(queue, "taskqueue.worker.auto-startup=false"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			WorkerContainer worker = java.getBean(WorkerContainer.class);
			List<AsyncResult<Object>> before = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				before.add(tasks.send("tasks.add", i, 1));
			}
			restartRabbit();
			worker.start();
			for (int i = 0; i < 20; i++) {
				assertThat(before.get(i).get(TIMEOUT)).isEqualTo(i + 1);
			}
			restartRabbit();
			AsyncResult<Object> after = await().atMost(TIMEOUT).ignoreExceptions().until(() -> tasks.send("tasks.add", 40, 2),
					(result) -> result != null);
			assertThat(after.get(TIMEOUT)).isEqualTo(42);
		}
	}

	@Test
	void acksLateTaskOfAKilledWorkerIsRedelivered() throws Exception {
		String queue = Interop.uniqueQueue("amqp-killed");
		String[] properties = Stack.AMQP_REDIS.javaProperties(queue, "taskqueue.task.acks-late=true",
				"taskqueue.worker.concurrency=1");
		try (ConfigurableApplicationContext client = JavaSample
			.start(Stack.AMQP_REDIS.javaProperties(queue, "taskqueue.worker.enabled=false"))) {
			TaskOperations tasks = client.getBean(TaskOperations.class);
			AsyncResult<Object> result;
			try (JavaWorkerProcess first = JavaWorkerProcess.start("amqp-killed-1", properties)) {
				result = tasks.send("tasks.sleep", 3);
				await().atMost(TIMEOUT).until(() -> RabbitServer.unacknowledged(queue) == 1);
				first.kill();
			}
			assertThat(result.state().name()).isEqualTo("PENDING");
			try (JavaWorkerProcess second = JavaWorkerProcess.start("amqp-killed-2", properties)) {
				assertThat(result.get(TIMEOUT)).isEqualTo(3.0);
			}
		}
	}

	private static void restartRabbit() throws Exception {
		try {
			RabbitServer.stopApp();
		}
		finally {
			RabbitServer.startApp();
		}
	}

}
