package dev.taskqueue.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

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
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ cluster of the test's own, three nodes on loopback (ports 5673 to 5675; the
 * machine's node is not part of it), and a quorum queue replicated on all three: the broker URL
 * lists the nodes, the worker connects to the first, holds ETA tasks unacknowledged, and the
 * test stops that node, the quorum queue's leader. The held tasks come back from the
 * surviving replicas and run once each, and the next tasks are sent and run through another
 * node.
 */
class AmqpQuorumClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void quorumQueueKeepsTheTasksOfAStoppedNodeAndTheWorkerGoesOnOnAnother() {
		long starting = System.nanoTime();
		List<RabbitNode> nodes = startCluster();
		System.out.println("Three-node RabbitMQ cluster of the test's own formed in "
				+ Duration.ofNanos(System.nanoTime() - starting));
		String queue = "quorum-failover-" + UUID.randomUUID().toString().substring(0, 8);
		RabbitNode first = nodes.get(0);
		try (ConfigurableApplicationContext context = start(
				nodes.stream().map(RabbitNode::url).collect(Collectors.joining(";")), queue)) {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			FailoverTasks failoverTasks = context.getBean(FailoverTasks.class);
			CachingConnectionFactory factory = context.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME,
					CachingConnectionFactory.class);
			assertThat(tasks.send("failover.add", 1, 1).get(TIMEOUT)).isEqualTo(2);
			assertThat(port(factory)).isEqualTo(first.port());
			assertThat(first.rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "type"))
				.contains(queue + "\tquorum");

			List<AsyncResult<Object>> held = new ArrayList<>();
			for (int i = 1; i <= 3; i++) {
				held.add(tasks.task("failover.add").args(i, 200).countdown(Duration.ofSeconds(5)).send());
			}
			WorkerState state = context.getBean(WorkerState.class);
			await().atMost(TIMEOUT).until(state::reservedCount, (reserved) -> reserved == 3);
			assertThat(failoverTasks.runs()).as("held until their ETA").containsExactly(2);

			long stopping = System.nanoTime();
			first.stop();
			await().atMost(TIMEOUT).untilAsserted(
					() -> assertThat(failoverTasks.runs()).containsExactlyInAnyOrder(2, 201, 202, 203));
			System.out.println("The three held tasks ran on another node "
					+ Duration.ofNanos(System.nanoTime() - stopping) + " after the first node was stopped");
			assertThat(tasks.send("failover.add", 4, 200).get(TIMEOUT)).isEqualTo(204);
			assertThat(port(factory)).isNotEqualTo(first.port());
			assertThat(failoverTasks.runs()).as("each task ran once").hasSize(5);
		}
		finally {
			nodes.forEach(RabbitNode::close);
		}
	}

	// three nodes started side by side, the second and third joining the first's cluster
	private List<RabbitNode> startCluster() {
		String cookie = "TASKQUEUETEST" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
		List<CompletableFuture<RabbitNode>> starting = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String name = "tq-cluster-" + (char) ('a' + i) + "@localhost";
			int port = 5673 + i;
			int distributionPort = 25673 + i;
			Path nodeDirectory = this.directory.resolve(name);
			starting.add(CompletableFuture
				.supplyAsync(() -> RabbitNode.start(name, port, distributionPort, nodeDirectory, cookie)));
		}
		CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		List<RabbitNode> nodes = starting.stream()
			.filter((node) -> !node.isCompletedExceptionally())
			.map(CompletableFuture::join)
			.toList();
		try {
			assertThat(nodes).as("nodes started").hasSize(3);
			nodes.get(1).joinCluster(nodes.get(0));
			nodes.get(2).joinCluster(nodes.get(0));
			return nodes;
		}
		catch (RuntimeException | AssertionError ex) {
			nodes.forEach(RabbitNode::close);
			starting.stream().filter(CompletableFuture::isCompletedExceptionally).forEach(CompletableFuture::join);
			throw ex;
		}
	}

	private static ConfigurableApplicationContext start(String url, String queue) {
		return new SpringApplicationBuilder(FailoverTasks.Application.class)
			.web(WebApplicationType.NONE)
			.properties(Map.of("taskqueue.broker.url", url, "taskqueue.backend.url", "rpc://", "taskqueue.default-queue",
					queue, "taskqueue.queues[" + queue + "].arguments.x-queue-type", "quorum",
					"taskqueue.worker.concurrency", 1, "taskqueue.worker.prefetch-multiplier", 8,
					"taskqueue.worker.hostname", "celery@" + queue))
			.run();
	}

	// the port of the node a connection factory is connected to (it connects when it is not)
	private static int port(ConnectionFactory factory) {
		try (Connection connection = factory.createConnection()) {
			return connection.getDelegate().getPort();
		}
	}

}
