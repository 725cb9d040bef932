package dev.taskqueue.broker.redis;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.events.CeleryEventMonitor;
import dev.taskqueue.events.InteropWorker;
import dev.taskqueue.testsupport.RedisServer;

import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The events of a Java worker on Redis, watched by Celery 5.2.6 itself: its
 * {@code EventReceiver} takes the {@code worker-heartbeat} messages and the
 * {@code task.multi} batches from pub/sub, and {@code celery.events.state.State} sees the
 * worker alive and its task succeeded. On database 6 with a key prefix of the test's own
 * (kombu's {@code global_keyprefix}, which also prefixes the pub/sub channels).
 */
class RedisEventsCeleryInteropTests {

	private static final String NODE = "java-events@redis";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 6);

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(CeleryEventMonitor.available(), "python3-celery is not installed");
	}

	@Test
	void celerySeesTheJavaWorkerAliveAndItsTaskSucceeded() {
		try (InteropWorker worker = new InteropWorker(this.redis.broker(), "celeryev", NODE)) {
			worker.start();

			Map<String, Object> seen = CeleryEventMonitor.watch(this.redis.url(), this.redis.prefix, "celeryev", NODE,
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
