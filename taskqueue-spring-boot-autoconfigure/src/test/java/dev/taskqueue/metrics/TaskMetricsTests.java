package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskMetrics}.
 */
class TaskMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TaskMetrics metrics = new TaskMetrics(this.registry);

	private final TaskMessage add = TaskMessageBuilder.task("tasks.add")
		.id("id-add-1")
		.args(List.of(2, 3))
		.kwargs(Map.of("password", "hunter2"))
		.build();

	@Test
	void succeededTaskIsCountedAtEachEventAndTimedWithItsRuntime() {
		this.metrics.taskReceived(this.add, "celery");
		this.metrics.taskStarted(this.add, "celery");
		this.metrics.taskSucceeded(this.add, "celery", 5, Duration.ofMillis(42));

		for (String event : List.of("received", "started", "succeeded")) {
			assertThat(this.registry.get("taskqueue.task." + event).tag("task", "tasks.add").tag("queue", "celery")
				.counter()
				.count()).as(event).isOne();
		}
		assertThat(this.registry.find("taskqueue.task.failed").counter()).isNull();
		Timer timer = this.registry.get("taskqueue.task.execution").timer();
		assertThat(timer.getId().getTags()).containsExactlyInAnyOrder(Tag.of("task", "tasks.add"),
				Tag.of("queue", "celery"), Tag.of("state", "SUCCESS"), Tag.of("exception", "none"));
		assertThat(timer.count()).isOne();
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42);
	}

	@Test
	void failedTaskIsCountedAndTimedWithItsPythonExceptionTypeAndNotItsMessage() {
		this.metrics.taskFailed(this.add, "celery", ExceptionInfo.python("builtins", "ValueError", "boom hunter2"),
				new IllegalArgumentException("boom hunter2"), Duration.ofMillis(3));

		assertThat(this.registry.get("taskqueue.task.failed").tags("task", "tasks.add", "exception", "ValueError")
			.counter()
			.count()).isOne();
		Timer timer = this.registry.get("taskqueue.task.execution").tags("state", "FAILURE").timer();
		assertThat(timer.getId().getTag("exception")).isEqualTo("ValueError");
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3);
		assertNoTagHolds("boom", "hunter2", "id-add-1");
	}

	@Test
	void retriedTaskIsCountedAndTimedWithTheExceptionItRetriesFor() {
		this.metrics.taskRetried(this.add, "celery", ExceptionInfo.of(new IllegalStateException("later")), null,
				Duration.ofMillis(7));
		this.metrics.taskRetried(this.add, "celery",
				ExceptionInfo.python("celery.exceptions", "Retry", "Retry at 2026-12-05T18:00:00"), null,
				Duration.ofMillis(1));

		assertThat(this.registry.get("taskqueue.task.retried").tag("task", "tasks.add").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("taskqueue.task.execution").tags("state", "RETRY", "exception",
				"IllegalStateException").timer().count()).isOne();
		assertThat(this.registry.get("taskqueue.task.execution").tags("state", "RETRY", "exception", "Retry")
			.timer()
			.count()).isOne();
		assertNoTagHolds("later", "2026");
	}

	@Test
	void revokedTaskIsCountedByReasonAndTimedForAsLongAsItRanOnItsThread() {
		TaskMessage other = TaskMessageBuilder.task("tasks.add").id("id-add-2").build();
		this.metrics.taskRevoked(other, "celery", false, true);
		this.metrics.taskStarted(this.add, "celery");
		long started = System.nanoTime();
		await().until(() -> System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(5));
		this.metrics.taskRevoked(this.add, "celery", true, false);

		assertThat(this.registry.get("taskqueue.task.revoked").tag("reason", "expired").counter().count()).isOne();
		assertThat(this.registry.get("taskqueue.task.revoked").tag("reason", "terminated").counter().count())
			.isOne();
		Timer timer = this.registry.get("taskqueue.task.execution").tags("state", "REVOKED", "exception", "none")
			.timer();
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(5);
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(timer.totalTime(TimeUnit.MILLISECONDS));
	}

	@Test
	void rejectedMessagesAreCountedAlsoWhenTheyCouldNotBeRead() {
		this.metrics.taskRejected(this.add, "celery", "unknown task tasks.add");
		this.metrics.taskRejected(null, "celery", "undecodable");

		assertThat(this.registry.get("taskqueue.task.rejected").tag("task", "tasks.add").counter().count()).isOne();
		assertThat(this.registry.get("taskqueue.task.rejected").tag("task", "unknown").counter().count()).isOne();
		assertThat(this.registry.find("taskqueue.task.execution").timer()).isNull();
	}

	@Test
	void taskNamesBeyondTheLimitOrTooLongAreTaggedOther() {
		TaskMetrics capped = new TaskMetrics(this.registry, 3);
		for (int i = 0; i < 5; i++) {
			capped.taskReceived(TaskMessageBuilder.task("tasks.t" + i).build(), "celery");
		}
		capped.taskReceived(TaskMessageBuilder.task("tasks.t0").build(), "celery");
		capped.taskReceived(TaskMessageBuilder.task("tasks." + "x".repeat(300)).build(), "celery");

		assertThat(this.registry.find("taskqueue.task.received").counters())
			.extracting((counter) -> counter.getId().getTag("task"))
			.containsExactlyInAnyOrder("tasks.t0", "tasks.t1", "tasks.t2", "other");
		assertThat(this.registry.get("taskqueue.task.received").tag("task", "tasks.t0").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("taskqueue.task.received").tag("task", "other").counter().count())
			.isEqualTo(3);
	}

	private void assertNoTagHolds(String... values) {
		for (Meter meter : this.registry.getMeters()) {
			for (Tag tag : meter.getId().getTags()) {
				for (String value : values) {
					assertThat(tag.getValue()).as(meter.getId().toString()).doesNotContain(value);
				}
			}
		}
	}

}
