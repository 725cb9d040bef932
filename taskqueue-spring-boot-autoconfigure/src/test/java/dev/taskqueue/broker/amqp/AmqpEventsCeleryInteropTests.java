package dev.taskqueue.broker.amqp;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.events.CeleryEventMonitor;
import dev.taskqueue.events.InteropWorker;
import dev.taskqueue.testsupport.RabbitServer;

import static dev.taskqueue.broker.amqp.AmqpTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The events of a Java worker on RabbitMQ, watched by Celery 5.2.6 itself: its
 * {@code EventReceiver} takes the {@code worker-heartbeat} messages and the
 * {@code task.multi} batches, and {@code celery.events.state.State} sees the worker alive and
 * its task succeeded. On an events exchange of this test, not Celery's shared
 * {@code celeryev}.
 */
class AmqpEventsCeleryInteropTests {

	private static final String NODE = "java-events@amqp";

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("events-");

	// deleted by the support afterwards

	private final String exchange = this.rabbit.name("celeryev");

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(CeleryEventMonitor.available(), "python3-celery is not installed");
	}

	@Test
	void celerySeesTheJavaWorkerAliveAndItsTaskSucceeded() {
		try (InteropWorker worker = new InteropWorker(this.rabbit.broker(), this.exchange, NODE)) {
			worker.start();

			Map<String, Object> seen = CeleryEventMonitor.watch(RabbitServer.URL, "", this.exchange, NODE,
					worker::runTask);

			assertThat(seen).containsEntry("alive", true).containsEntry("freq", 0.5).containsEntry("active", 0)
				.containsEntry("sw_ident", "taskqueue");
			assertThat(map(seen.get("task"))).containsEntry("state", "SUCCESS").containsEntry("name", "tasks.add")
				.containsEntry("args", "(2, 3)").containsEntry("result", "5").containsEntry("runtime", 0.007)
				.containsEntry("worker", NODE);
			assertThat(worker.routingKeys()).contains("worker.online", "worker.heartbeat", "task.multi")
				.allMatch((key) -> key.startsWith("worker.") || key.equals("task.multi"));
			assertThat(worker.dropped()).isZero();
		}
	}

}
