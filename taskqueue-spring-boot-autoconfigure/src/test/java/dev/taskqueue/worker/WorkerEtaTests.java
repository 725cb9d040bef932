package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for tasks held for their ETA: they leave the prefetch window so that other tasks keep
 * coming, up to {@link WorkerSettings#maxHeldEta()}, and an ETA no timer can wait for is
 * dead-lettered.
 */
class WorkerEtaTests {

	@Test
	void countdownTasksDoNotStopOtherTasks() {
		try (WorkerFixture fixture = new WorkerFixture(settings(2, 4, 10_000)).start()) {
			for (int i = 0; i < 40; i++) {
				fixture.template.task("t.add").args(i, i).countdown(Duration.ofHours(1)).send();
			}
			AsyncResult<Object> ordinary = fixture.template.send("t.add", 2, 3);

			assertThat(ordinary.get(Duration.ofSeconds(10))).isEqualTo(5);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.reservedCount() == 40);
			assertThat(fixture.broker.size("celery")).isZero();
		}
	}

	@Test
	void heldTasksPastTheLimitKeepTheirSlotsSoFetchingPauses() {
		try (WorkerFixture fixture = new WorkerFixture(settings(1, 2, 2)).start()) {
			for (int i = 0; i < 5; i++) {
				fixture.template.task("t.add").args(i, i).countdown(Duration.ofHours(1)).send();
			}
			AsyncResult<Object> ordinary = fixture.template.send("t.add", 2, 3);

			// 2 held outside the window, 2 more fill the prefetch of 2: the rest waits in the queue
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.reservedCount() == 4);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
				.until(() -> fixture.broker.size("celery") == 2);
			assertThat(ordinary.ready()).isFalse();
			assertThat(fixture.tasks.executions).hasValue(0);
		}
	}

	@Test
	void givesHeldTasksBackOnStopAndTheirSlotsWithThem() {
		try (WorkerFixture fixture = new WorkerFixture(settings(1, 1, 10)).start()) {
			for (int i = 0; i < 3; i++) {
				fixture.template.task("t.add").args(i, i).countdown(Duration.ofHours(1)).send();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.reservedCount() == 3);

			fixture.worker.stop();

			assertThat(fixture.broker.size("celery")).isEqualTo(3);
			assertThat(fixture.state.reservedCount()).isZero();
			fixture.worker.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.reservedCount() == 3);
			assertThat(fixture.template.send("t.add", 1, 1).get(Duration.ofSeconds(10))).isEqualTo(2);
		}
	}

	@Test
	void etaCenturiesAheadIsDeadLetteredAndTheWorkerGoesOn() {
		try (WorkerFixture fixture = new WorkerFixture(settings(1, 1, 10)).start()) {
			Instant farAhead = Instant.now().plus(300 * 365L, ChronoUnit.DAYS);
			fixture.broker.publish(new OutboundMessage(new JsonMessageCodec().encode(
					TaskMessageBuilder.task("t.add").id("far-1").args(List.of(1, 1)).eta(farAhead).build()),
					Destination.queue("celery")));

			assertThat(fixture.template.send("t.add", 2, 3).get(Duration.ofSeconds(10))).isEqualTo(5);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker.deadLetters("celery", 100).size() == 1);
			assertThat(fixture.broker.deadLetters("celery", 100).get(0).reason()).contains("is more than 36500 days ahead");
			assertThat(fixture.state.reservedCount()).isZero();
			assertThat(fixture.template.result("far-1").failed()).isTrue();
		}
	}

	@Test
	void sendingRefusesAnEtaNoTimerCanWaitFor() {
		try (WorkerFixture fixture = new WorkerFixture(1)) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fixture.template.task("t.add").eta(Instant.now().plus(300 * 365L, ChronoUnit.DAYS)))
				.withMessageContaining("36500 days");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fixture.template.task("t.add").countdown(Duration.ofDays(40_000)));
		}
	}

	private static WorkerSettings settings(int concurrency, int multiplier, int maxHeldEta) {
		return new WorkerSettings("celery@test", List.of("celery"), concurrency, multiplier, Duration.ofSeconds(5),
				false, maxHeldEta, Duration.ofMinutes(10), WorkerSettings.DEFAULT_MAX_DELIVERIES);
	}

}
