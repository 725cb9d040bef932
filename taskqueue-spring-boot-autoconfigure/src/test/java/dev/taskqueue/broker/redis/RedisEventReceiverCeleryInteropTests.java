package dev.taskqueue.broker.redis;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.events.CeleryEventMonitor;
import dev.taskqueue.events.CeleryEventSender;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.TaskSnapshot;
import dev.taskqueue.events.WorkerSnapshot;
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

			WorkerSnapshot worker = state.worker(NODE).orElseThrow();
			assertThat(worker.alive()).isTrue();
			assertThat(worker.language()).isEqualTo("Python");
			assertThat(worker.swIdent()).isEqualTo("py-celery");
			assertThat(worker.swVer()).isEqualTo("5.2.6");
			assertThat(worker.freq()).isEqualTo(2.0);
			assertThat(worker.loadavg()).containsExactly(0.1, 0.2, 0.3);
			TaskSnapshot task = state.task(TASK).orElseThrow();
			assertThat(task.state()).isEqualTo("SUCCESS");
			assertThat(task.name()).isEqualTo("tasks.add");
			assertThat(task.args()).isEqualTo("(2, 3)");
			assertThat(task.result()).isEqualTo("5");
			assertThat(task.runtime()).isEqualTo(0.01);
			assertThat(task.worker()).isEqualTo(NODE);
			assertThat(receiver.ignoredCount()).isZero();
		}
	}

}
