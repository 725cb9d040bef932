package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskPublishListener;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a worker tells its {@link TaskListener}s what becomes of each task, once per
 * end, and that the template tells its {@link TaskPublishListener}s of what it publishes.
 */
class WorkerListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final RecordingListener recording = new RecordingListener();

	private final WorkerFixture fixture = new WorkerFixture(2);

	WorkerListenerTests() {
		new CeleryTaskAnnotationBeanPostProcessor(this.fixture.registry)
			.postProcessAfterInitialization(new RetryTasks(), "retryTasks");
		TaskListener failing = new TaskListener() {
			@Override
			public void taskStarted(TaskMessage message, String queue) {
				throw new IllegalStateException("a listener that fails");
			}
		};
		this.fixture.worker.setTaskListeners(List.of(failing, this.recording));
		this.fixture.start();
	}

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void successIsReceivedStartedAndSucceededWithResultRuntimeAndMdcDespiteAFailingListener() {
		AsyncResult<Object> result = this.fixture.template.send("t.add", 2, 3);
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
		String id = result.id();
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events).containsExactly(
				"received " + id + " celery", "started " + id + " mdc=" + id + "/t.add/" + id,
				"succeeded " + id + " 5"));
		assertThat(this.recording.runtimes).singleElement().satisfies((runtime) -> assertThat(runtime).isPositive());
	}

	@Test
	void failureIsReportedWithItsExceptionAndCause() {
		AsyncResult<Object> result = this.fixture.template.send("t.fail", "boom");
		assertThatException().isThrownBy(() -> result.get(TIMEOUT));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events).containsExactly(
				"received " + result.id() + " celery", "started " + result.id() + " mdc=" + result.id() + "/t.fail/"
						+ result.id(),
				"failed " + result.id() + " IllegalStateException cause=IllegalStateException"));
	}

	@Test
	void unknownTaskIsRejectedOnly() {
		AsyncResult<Object> result = this.fixture.template.send("t.nosuch");
		assertThatException().isThrownBy(() -> result.get(TIMEOUT));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events)
			.containsExactly("rejected " + result.id() + " Task 't.nosuch' is not registered on this worker"));
	}

	@Test
	void argumentsThatDoNotFitAreReceivedThenRejected() {
		AsyncResult<Object> result = this.fixture.template.send("t.add", "two", 3);
		assertThatException().isThrownBy(() -> result.get(TIMEOUT));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events).hasSize(2)
			.first().isEqualTo("received " + result.id() + " celery"));
		assertThat(this.recording.events.get(1)).startsWith("rejected " + result.id() + " TypeError: ");
	}

	@Test
	void expiredTaskIsRevokedAsExpired() {
		AsyncResult<Object> result = this.fixture.template.task("t.add")
			.args(1, 1)
			.expires(Instant.now().minusSeconds(1))
			.send();
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events)
			.containsExactly("received " + result.id() + " celery", "revoked " + result.id() + " expired=true"));
	}

	@Test
	void revokedTaskIsRevokedWithoutBeingReceived() {
		String id = "listener-revoked-1";
		this.fixture.revokes.revoke(List.of(id), false);
		this.fixture.template.task("t.add").args(1, 1).id(id).send();
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events)
			.containsExactly("revoked " + id + " expired=false"));
	}

	@Test
	void retryIsRetriedThenTheRetrySucceeds() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_once");
		assertThat(result.get(TIMEOUT)).isEqualTo(1);
		String id = result.id();
		String started = "started " + id + " mdc=" + id + "/r.retry_once/" + id;
		// the retry may be received before its first run is reported retried
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recording.events).containsExactlyInAnyOrder(
				"received " + id + " celery", started, "retried " + id + " Retry", "received " + id + " celery",
				started, "succeeded " + id + " 1"));
		assertThat(this.recording.events.indexOf("retried " + id + " Retry"))
			.isLessThan(this.recording.events.lastIndexOf(started));
	}

	@Test
	void publishListenersHearWhereEachTaskWent() {
		List<String> published = new CopyOnWriteArrayList<>();
		this.fixture.template.setPublishListeners(List.of(new TaskPublishListener() {
			@Override
			public void published(TaskMessage message, Destination destination, Duration elapsed) {
				published.add(message.task() + " -> " + destination.routingKey() + " " + !elapsed.isNegative());
			}
		}));
		assertThat(this.fixture.template.send("t.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
		assertThat(published).containsExactly("t.add -> celery true");
	}

	/** Records what it hears as lines, with the MDC seen on the task's thread. */
	static final class RecordingListener implements TaskListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<Duration> runtimes = new CopyOnWriteArrayList<>();

		@Override
		public void taskReceived(TaskMessage message, String queue) {
			this.events.add("received " + message.id() + " " + queue);
		}

		@Override
		public void taskStarted(TaskMessage message, String queue) {
			this.events.add("started " + message.id() + " mdc=" + MDC.get("task_id") + "/" + MDC.get("task_name") + "/"
					+ MDC.get("task_root_id"));
		}

		@Override
		public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
			this.runtimes.add(runtime);
			this.events.add("succeeded " + message.id() + " " + result);
		}

		@Override
		public void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
				Duration runtime) {
			this.events.add("failed " + message.id() + " " + exception.type() + " cause="
					+ ((cause != null) ? cause.getClass().getSimpleName() : null));
		}

		@Override
		public void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
				Duration runtime) {
			this.events.add("retried " + message.id() + " " + exception.type());
		}

		@Override
		public void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
			this.events.add("revoked " + message.id() + " expired=" + expired);
		}

		@Override
		public void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
			this.events.add("rejected " + ((message != null) ? message.id() : null) + " " + reason);
		}

	}

}
