package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for stopping a {@link WorkerContainer}.
 */
class WorkerShutdownTests {

	@Test
	void stopLetsRunningTaskFinishAndGivesBackWhatDidNotStart() {
		// a prefetch of 4 takes all three messages while the first runs unacknowledged
		WorkerSettings settings = new WorkerSettings("celery@test", List.of("celery"), 1, 4, Duration.ofSeconds(5),
				false);
		try (WorkerFixture fixture = new WorkerFixture(settings).start()) {
			AsyncResult<Object> running = fixture.template.send("t.sleep", 500);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.activeTasks().size() == 1);
			fixture.template.send("t.add", 1, 1);
			fixture.template.task("t.add").args(2, 2).countdown(Duration.ofMinutes(5)).send();
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker.size("celery") == 0);

			fixture.worker.stop();

			assertThat(running.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(fixture.tasks.executions).hasValue(1);
			assertThat(fixture.broker.size("celery")).isEqualTo(2);
			assertThat(fixture.worker.isRunning()).isFalse();
		}
	}

	@Test
	void restartedWorkerRunsWhatWasGivenBack() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			fixture.template.send("t.sleep", 300);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.activeTasks().size() == 1);
			AsyncResult<Object> queued = fixture.template.send("t.add", 4, 5);
			fixture.worker.stop();
			assertThat(queued.state()).isEqualTo(TaskState.PENDING);

			fixture.worker.start();

			assertThat(queued.get(Duration.ofSeconds(10))).isEqualTo(9);
		}
	}

	@Test
	void acksLateTasksInterruptedByTheShutdownTimeoutGoBackToTheBroker() {
		WorkerSettings settings = new WorkerSettings("celery@test", List.of("celery"), 1, 2, Duration.ofMillis(300),
				false);
		try (WorkerFixture fixture = new WorkerFixture(settings).start()) {
			AsyncResult<Object> interrupted = fixture.template.send("t.sleep", 60_000);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.activeTasks().size() == 1);
			AsyncResult<Object> queued = fixture.template.send("t.add", 1, 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker.size("celery") == 0);

			fixture.worker.stop();

			assertThat(fixture.broker.size("celery")).isEqualTo(2);
			assertThat(interrupted.state()).isEqualTo(TaskState.PENDING);
			assertThat(queued.state()).isEqualTo(TaskState.PENDING);
			assertThat(fixture.state.processedTotal()).isZero();
			assertThat(fixture.state.activeTasks()).isEmpty();
		}
	}

}
