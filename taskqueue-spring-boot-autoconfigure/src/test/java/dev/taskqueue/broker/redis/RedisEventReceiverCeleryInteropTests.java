package dev.taskqueue.broker.redis;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.events.CeleryEventMonitor;
import dev.taskqueue.events.CeleryEventSender;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Events sent by Celery 5.2.6's own dispatcher on Redis, read by the Java
 * {@link EventReceiver} into a {@link ClusterState}: the Python worker alive and its task
 * succeeded. On database 6 with a key prefix of the test's own (kombu's
 * {@code global_keyprefix}, which also prefixes the pub/sub channels).
 */
class RedisEventReceiverCeleryInteropTests {

	private static final String NODE = "py-receiver@redis";

	private static final String TASK = "7d3c1f0e-0000-4000-8000-00000000e1e1";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 6);

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(CeleryEventMonitor.available(), "python3-celery is not installed");
	}

	@Test
	void clusterStateShowsThePythonWorkerAliveAndItsTaskSucceeded() {
		ClusterState state = new ClusterState();
		try (EventReceiver receiver = new EventReceiver(this.redis.broker(), "celeryev", state, null)) {
			CeleryEventSender.send(this.redis.url(), this.redis.prefix, "celeryev", NODE, TASK);

			CeleryEventSender.assertReceived(state, NODE, TASK);
			assertThat(receiver.ignoredCount()).isZero();
		}
	}

}
