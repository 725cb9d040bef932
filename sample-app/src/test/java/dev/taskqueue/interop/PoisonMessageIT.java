package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.sample.FaultTasks;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of "nothing lost when a worker dies, nothing looping": a poison message,
 * whose task halts the JVM of the worker running it every time, ends in the dead-letter place
 * after max-deliveries, with FAILURE {@code WorkerLostError} stored for its callers. Each
 * worker is the sample jar in a JVM of its own, started again after each death, on Redis
 * (visibility timeout of 2 s, so that the dead worker's message is restored quickly) and on
 * RabbitMQ classic and quorum queues. Results go to Redis database 15.
 */
class PoisonMessageIT {

	private static final int MAX_DELIVERIES = 2;

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final String BACKEND = "redis://127.0.0.1:6379/15";

	@ParameterizedTest
	@EnumSource(Transport.class)
	void poisonMessageEndsInTheDeadLetterPlaceAfterMaxDeliveries(Transport transport) throws Exception {
		String queue = Interop.uniqueQueue("deliv-poison");
		String[] shared = transport.properties(queue);
		try (ConfigurableApplicationContext client = JavaSample
			.start(with(transport.stack().javaProperties(queue, shared), "taskqueue.worker.enabled=false"))) {
			TaskOperations tasks = client.getBean(TaskOperations.class);
			BrokerAdmin admin = (BrokerAdmin) client.getBean(Broker.class);
			AsyncResult<Object> result = tasks.send("tasks.halt");
			try {
				runWorkersUntilDeadLettered(transport, queue, shared, admin, result);
			}
			finally {
				transport.cleanUp(queue, shared);
				Interop.withRedis(BACKEND, (redis) -> redis.del("celery-task-meta-" + result.id()));
			}
		}
	}

	/**
	 * Start workers, one at a time, until the message is dead-lettered: each that gets the
	 * message to run halts; the one that gets it a delivery too many dead-letters it and lives.
	 */
	private static void runWorkersUntilDeadLettered(Transport transport, String queue, String[] shared,
			BrokerAdmin admin, AsyncResult<Object> result) throws Exception {
		String[] worker = with(transport.stack().javaProperties(queue, shared), "sample.fault-tasks=true",
				"taskqueue.task.max-deliveries=" + MAX_DELIVERIES, "taskqueue.worker.concurrency=1",
				"taskqueue.worker.prefetch-multiplier=1");
		int halted = 0;
		while (admin.deadLetters(queue, 10).isEmpty()) {
			assertThat(halted).as("workers halted by the poison message").isLessThanOrEqualTo(MAX_DELIVERIES);
			Process process = startWorker(transport + "-" + halted, worker);
			try {
				await().atMost(TIMEOUT)
					.pollInterval(Duration.ofMillis(200))
					.until(() -> !process.isAlive() || !admin.deadLetters(queue, 10).isEmpty());
				if (!process.isAlive()) {
					assertThat(process.exitValue()).isEqualTo(FaultTasks.HALT_STATUS);
					halted++;
				}
			}
			finally {
				PythonCelery.stop(process);
			}
		}
		assertThat(halted).isEqualTo(MAX_DELIVERIES);
		assertThat(admin.deadLetters(queue, 10)).singleElement().satisfies((DeadLetter letter) -> {
			assertThat(letter.taskId()).isEqualTo(result.id());
			assertThat(letter.reason()).startsWith("Message delivered 3 times, more than the limit of 2 ");
		});
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError"));
		assertThat(admin.size(queue)).isZero();
	}

	/**
	 * Start the sample jar in its own JVM without waiting for it: a worker that gets the
	 * poison message may halt before it logs that it started.
	 */
	private static Process startWorker(String name, String[] properties) throws IOException {
		Path jar = Files.list(Path.of("target"))
			.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No sample-app jar in target/: run the package phase first"));
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-jar", jar.toString(), "--server.port=0", "--spring.main.banner-mode=off"));
		for (String property : properties) {
			command.add("--" + property);
		}
		Path log = Interop.logFile("java-poison-" + name);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static String[] with(String[] properties, String... more) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	enum Transport {

		REDIS, AMQP_CLASSIC, AMQP_QUORUM;

		private static final String REDIS_BROKER = "redis://127.0.0.1:6379/15";

		private static final String PREFIX_PROPERTY = "taskqueue.broker.redis.global-keyprefix=";

		Stack stack() {
			return new Stack((this == REDIS) ? REDIS_BROKER : Stack.AMQP_URL, BACKEND);
		}

		String[] properties(String queue) {
			return switch (this) {
				// a key prefix of its own keeps the restores of this test and of others on database 15 apart
				case REDIS -> new String[] { "taskqueue.broker.redis.visibility-timeout=2s",
						PREFIX_PROPERTY + queue + "-" + UUID.randomUUID() + ":" };
				case AMQP_CLASSIC -> new String[0];
				case AMQP_QUORUM -> new String[] { "taskqueue.queues." + queue + ".arguments.x-queue-type=quorum" };
			};
		}

		/** Remove what the test left in the broker: the queue and its dead letters. */
		void cleanUp(String queue, String[] properties) {
			if (this == REDIS) {
				String prefix = properties[1].substring(PREFIX_PROPERTY.length());
				Interop.withRedis(REDIS_BROKER, (redis) -> {
					List<String> keys = redis.keys(prefix + "*");
					return keys.isEmpty() ? 0 : redis.del(keys.toArray(String[]::new));
				});
				return;
			}
			CachingConnectionFactory factory = RabbitServer.connectionFactory("deliv-cleanup");
			try {
				RabbitAdmin admin = new RabbitAdmin(factory);
				admin.deleteQueue(queue);
				admin.deleteQueue(queue + ".dead-letter");
			}
			finally {
				factory.destroy();
			}
		}

	}

}
