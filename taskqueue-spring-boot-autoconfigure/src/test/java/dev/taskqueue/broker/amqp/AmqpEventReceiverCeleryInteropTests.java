package dev.taskqueue.broker.amqp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.events.CeleryEventMonitor;
import dev.taskqueue.events.CeleryEventSender;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Events sent by Celery 5.2.6's own dispatcher on RabbitMQ, read by the Java
 * {@link EventReceiver} into a {@link ClusterState}: the Python worker alive and its task
 * succeeded. On an events exchange of this test, not Celery's shared {@code celeryev}.
 */
class AmqpEventReceiverCeleryInteropTests {

	private static final String NODE = "py-receiver@amqp";

	private static final String TASK = "7d3c1f0e-0000-4000-8000-00000000e1e1";

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("receiver-");

	// deleted by the support afterwards

	private final String exchange = this.rabbit.name("celeryev");

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(CeleryEventMonitor.available(), "python3-celery is not installed");
	}

	@Test
	void clusterStateShowsThePythonWorkerAliveAndItsTaskSucceeded() {
		ClusterState state = new ClusterState();
		try (EventReceiver receiver = new EventReceiver(this.rabbit.broker(), this.exchange, state, null)) {
			CeleryEventSender.send(RabbitServer.URL, "", this.exchange, NODE, TASK);

			CeleryEventSender.assertReceived(state, NODE, TASK);
			assertThat(receiver.ignoredCount()).isZero();
		}
	}

}
