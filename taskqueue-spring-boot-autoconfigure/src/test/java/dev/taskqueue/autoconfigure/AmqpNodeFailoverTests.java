package dev.taskqueue.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RabbitNode;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover between two RabbitMQ nodes: a node of the test's own on port 5673, first in the
 * broker URL, and the machine's node on 5672, second (two independent nodes standing for the
 * nodes of a cluster). The publisher and the worker start on the test's node; the test stops
 * it, and tasks are then sent to, and consumed from, the machine's node. The machine's node is
 * never stopped.
 */
class AmqpNodeFailoverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void whenTheFirstNodeStopsTasksAreSentAndConsumedOnTheSecond() {
		RabbitServer.ensureRunning();
		String queue = "node-failover-" + UUID.randomUUID().toString().substring(0, 8);
		try (RabbitNode own = RabbitNode.start("tq-failover@localhost", 5673, 25673, this.directory)) {
			System.out.println("RabbitMQ node tq-failover@localhost accepted connections after " + own.startTime());
			try (ConfigurableApplicationContext context = start(own.url() + ";" + RabbitServer.URL, queue)) {
				TaskOperations tasks = context.getBean(TaskOperations.class);
				FailoverTasks failoverTasks = context.getBean(FailoverTasks.class);
				CachingConnectionFactory factory = context.getBean(
						AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME, CachingConnectionFactory.class);
				assertThat(tasks.send("failover.add", 1, 1).get(TIMEOUT)).isEqualTo(2);
				assertThat(port(factory)).as("consumers' connection").isEqualTo(own.port());
				assertThat(port(factory.getPublisherConnectionFactory())).as("publishers' connection")
					.isEqualTo(own.port());

				long stopping = System.nanoTime();
				own.stop();
				System.out.println("RabbitMQ node tq-failover@localhost stopped in "
						+ Duration.ofNanos(System.nanoTime() - stopping));

				long failingOver = System.nanoTime();
				List<AsyncResult<Object>> sent = new ArrayList<>();
				for (int i = 1; i <= 5; i++) {
					sent.add(tasks.send("failover.add", i, 100));
				}
				for (int i = 1; i <= 5; i++) {
					assertThat(sent.get(i - 1).get(TIMEOUT)).isEqualTo(i + 100);
				}
				System.out.println("Five tasks sent and run on the second node in "
						+ Duration.ofNanos(System.nanoTime() - failingOver));
				assertThat(failoverTasks.runs()).containsExactly(2, 101, 102, 103, 104, 105);
				assertThat(port(factory)).isEqualTo(RabbitServer.PORT);
				assertThat(port(factory.getPublisherConnectionFactory())).isEqualTo(RabbitServer.PORT);
				await().atMost(TIMEOUT).until(() -> RabbitServer.listedQueue(queue) != null
						&& ((Number) RabbitServer.listedQueue(queue).get("consumers")).intValue() > 0);
			}
		}
		finally {
			RabbitServer.deleteQueues(queue);
		}
	}

	private static ConfigurableApplicationContext start(String url, String queue) {
		return new SpringApplicationBuilder(FailoverTasks.Application.class).web(WebApplicationType.NONE)
			.properties(Map.of("taskqueue.broker.url", url, "taskqueue.backend.url", "rpc://", "taskqueue.default-queue",
					queue, "taskqueue.worker.concurrency", 1, "taskqueue.worker.hostname", "celery@" + queue))
			.run();
	}

	// the port of the node a connection factory is connected to (it connects when it is not)
	private static int port(ConnectionFactory factory) {
		try (Connection connection = factory.createConnection()) {
			return connection.getDelegate().getPort();
		}
	}

}
