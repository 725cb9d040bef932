package dev.taskqueue.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends events with Celery 5.2.6 itself: {@code app.events.default_dispatcher()} sends a
 * Python worker's {@code worker-heartbeat} and the events of one task, received, started and
 * succeeded, a few times over so that a receiver subscribed late still sees them.
 */
public final class CeleryEventSender {

	private static final String SCRIPT = """
			import sys, time
			import celery
			from celery import Celery
			URL, PREFIX, EXCHANGE, NODE, UUID = sys.argv[1:6]
			app = Celery('interop', broker=URL)
			if PREFIX:
			    app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
			app.conf.event_exchange = EXCHANGE
			with app.events.default_dispatcher(hostname=NODE) as dispatcher:
			    for _ in range(10):
			        dispatcher.send('worker-heartbeat', freq=2.0, active=0, processed=1,
			                        loadavg=[0.1, 0.2, 0.3], sw_ident='py-celery',
			                        sw_ver=celery.__version__, sw_sys='Linux')
			        dispatcher.send('task-received', uuid=UUID, name='tasks.add', args='(2, 3)',
			                        kwargs='{}', root_id=UUID, parent_id=None, retries=0,
			                        eta=None, expires=None)
			        dispatcher.send('task-started', uuid=UUID)
			        dispatcher.send('task-succeeded', uuid=UUID, result='5', runtime=0.01)
			        dispatcher.flush()
			        time.sleep(0.3)
			""";

	private CeleryEventSender() {
	}

	/**
	 * Run Celery's dispatcher until it has sent its events.
	 * @param brokerUrl the broker URL as Celery takes it
	 * @param keyPrefix kombu's {@code global_keyprefix} on Redis, or {@code ""}
	 * @param exchange the events exchange
	 * @param node the Python worker's node name
	 * @param taskId the task's id
	 */
	public static void send(String brokerUrl, String keyPrefix, String exchange, String node, String taskId) {
		try {
			Path file = Files.createTempFile("celery-event-sender", ".py");
			try {
				Files.writeString(file, SCRIPT);
				TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), CeleryEventMonitor.PYTHON,
						file.toString(), brokerUrl, keyPrefix, exchange, node, taskId);
				assertThat(result.exit()).as(result.stderr()).isZero();
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Assert that a state received the events {@link #send} sends: the Python worker alive with
	 * its software and load, and its task succeeded.
	 * @param state the state the events were received into
	 * @param node the Python worker's node name
	 * @param taskId the task's id
	 */
	public static void assertReceived(ClusterState state, String node, String taskId) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			WorkerSnapshot worker = state.worker(node).orElseThrow();
			assertThat(worker.alive()).isTrue();
			assertThat(worker.language()).isEqualTo("Python");
			assertThat(worker.swIdent()).isEqualTo("py-celery");
			assertThat(worker.swVer()).isEqualTo("5.2.6");
			assertThat(worker.freq()).isEqualTo(2.0);
			assertThat(worker.loadavg()).containsExactly(0.1, 0.2, 0.3);
			TaskSnapshot task = state.task(taskId).orElseThrow();
			assertThat(task.state()).isEqualTo("SUCCESS");
			assertThat(task.name()).isEqualTo("tasks.add");
			assertThat(task.args()).isEqualTo("(2, 3)");
			assertThat(task.result()).isEqualTo("5");
			assertThat(task.runtime()).isEqualTo(0.01);
			assertThat(task.worker()).isEqualTo(node);
		});
	}

}
