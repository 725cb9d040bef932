package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskRevokedException;
import dev.taskqueue.core.TaskState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for revoking on the worker, with the in-memory transports: a revoked task is
 * discarded when it arrives, when its ETA comes and right before it runs; a terminating
 * revoke interrupts it where it runs; a revoke expires after its time to live.
 */
class WorkerRevokeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void revokedCountdownTaskNeverRunsAndEndsRevoked() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			AsyncResult<Object> sum = fixture.template.task("t.add").args(2, 3).countdown(Duration.ofSeconds(1)).send();
			await().atMost(WAIT).until(() -> fixture.state.reservedCount() == 1);

			sum.revoke();

			assertThat(sum.state()).isEqualTo(TaskState.REVOKED);
			await().atMost(WAIT).until(() -> revokedCount(fixture, "t.add") == 1);
			assertThat(fixture.tasks.executions).hasValue(0);
			assertThat(fixture.state.reservedCount()).isZero();
			assertThat(fixture.broker.size("celery")).isZero();
			assertThat(fixture.broker.deadLetters("celery", 10)).isEmpty();
			assertRevoked(sum, "revoked");
		}
	}

	@Test
	void revokeIsBroadcastOnceKeptAndABroadcastThatFailsLeavesItKept() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			List<String> broadcast = new CopyOnWriteArrayList<>();
			fixture.template.setRevokeBroadcaster((ids, terminate) -> {
				broadcast.add(ids + " " + terminate + " kept=" + fixture.revokes.isRevoked(ids.get(0)));
				throw new IllegalStateException("broker down");
			});
			String id = UUID.randomUUID().toString();

			fixture.template.revoke(id, true);

			assertThat(broadcast).containsExactly("[" + id + "] true kept=true");
			assertThat(fixture.revokes.isRevoked(id)).isTrue();
		}
	}

	@Test
	void taskRevokedBeforeItIsSentIsDiscardedWhenItArrives() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			String id = UUID.randomUUID().toString();
			fixture.template.revoke(id, false);

			AsyncResult<Object> sum = fixture.template.task("t.add").id(id).args(2, 3).send();

			await().atMost(WAIT).until(() -> revokedCount(fixture, "t.add") == 1);
			assertThat(fixture.tasks.executions).hasValue(0);
			assertThat(fixture.state.reservedCount()).isZero();
			assertRevoked(sum, "revoked");
		}
	}

	@Test
	void taskRevokedWhileWaitingForAPoolThreadIsDiscardedBeforeItRuns() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			AsyncResult<Object> blocking = fixture.template.send("t.blocking");
			await().atMost(WAIT).until(() -> fixture.tasks.blockingStarted.getCount() == 0);
			AsyncResult<Object> waiting = fixture.template.send("t.add", 1, 1);
			await().atMost(WAIT).until(() -> fixture.state.waitingCount() == 1);

			waiting.revoke();
			fixture.tasks.release.countDown();

			assertThat(blocking.get(WAIT)).isEqualTo("done");
			await().atMost(WAIT).until(() -> revokedCount(fixture, "t.add") == 1);
			assertThat(fixture.tasks.executions).hasValue(1);
			assertRevoked(waiting, "revoked");
		}
	}

	@Test
	void terminateInterruptsTheRunningTaskWhichEndsTerminatedAndTheThreadRunsTheNextTask() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			AsyncResult<Object> sleeping = fixture.template.send("t.sleep", 60_000);
			await().atMost(WAIT).until(() -> fixture.state.activeTasks().size() == 1);

			sleeping.revoke(true);

			// REVOKED at once (reason revoked, as Celery 5.6.2 stores it), then terminated by the worker
			await().atMost(WAIT).until(() -> fixture.state.processedCounts().containsKey("t.sleep"));
			assertRevoked(sleeping, "terminated");
			assertThat(fixture.tasks.executions).hasValue(0);
			assertThat(fixture.template.send("t.add", 2, 3).get(WAIT)).isEqualTo(5);
			assertThat(fixture.state.processedCounts().get("t.sleep")).isEqualTo(Map.of("REVOKED", 1L));
		}
	}

	@Test
	void revokeWithoutTerminateLetsARunningTaskFinish() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			AsyncResult<Object> blocking = fixture.template.send("t.blocking");
			await().atMost(WAIT).until(() -> fixture.tasks.blockingStarted.getCount() == 0);

			blocking.revoke();
			assertThat(blocking.state()).isEqualTo(TaskState.REVOKED);
			fixture.tasks.release.countDown();

			// as with Celery 5.6.2: the worker stores the task's own outcome when it ends
			await().atMost(WAIT).until(blocking::successful);
			assertThat(blocking.get(WAIT)).isEqualTo("done");
		}
	}

	@Test
	void revokingAFinishedTaskKeepsItsResult() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			AsyncResult<Object> sum = fixture.template.send("t.add", 2, 3);
			assertThat(sum.get(WAIT)).isEqualTo(5);

			sum.revoke();

			assertThat(sum.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(fixture.revokes.isRevoked(sum.id())).isTrue();
		}
	}

	@Test
	void revokesExpireAfterTheirTimeToLive() {
		InMemoryRevokedTaskStore shortLived = new InMemoryRevokedTaskStore(Duration.ofMillis(300));
		try (WorkerFixture fixture = new WorkerFixture(1)) {
			fixture.template.setRevokedTaskStore(shortLived);
			fixture.worker.setRevokedTaskStore(shortLived);
			fixture.start();
			String id = UUID.randomUUID().toString();
			shortLived.revoke(List.of(id), false);
			assertThat(shortLived.revoked()).containsOnlyKeys(id);

			await().atMost(WAIT).until(() -> !shortLived.isRevoked(id));

			assertThat(shortLived.revoked()).isEmpty();
			assertThat(fixture.template.task("t.add").id(id).args(2, 3).send().get(WAIT)).isEqualTo(5);
		}
	}

	@Test
	void workerWithoutStoreRevokesNothing() {
		try (WorkerFixture fixture = new WorkerFixture(new WorkerSettings("celery@test", List.of("celery"), 1, 1,
				Duration.ofSeconds(5), false))) {
			fixture.worker.setRevokedTaskStore(null);
			fixture.start();
			String id = UUID.randomUUID().toString();
			fixture.revokes.revoke(List.of(id), false);

			assertThat(fixture.template.task("t.add").id(id).args(2, 3).send().get(WAIT)).isEqualTo(5);
		}
	}

	private static long revokedCount(WorkerFixture fixture, String task) {
		return fixture.state.processedCounts().getOrDefault(task, Map.of()).getOrDefault("REVOKED", 0L);
	}

	@SuppressWarnings("unchecked")
	private static void assertRevoked(AsyncResult<Object> result, String reason) {
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(WAIT))
			.withMessage("Task " + result.id() + " was revoked: " + reason);
		Map<String, Object> exception = (Map<String, Object>) result.result();
		assertThat(exception).containsEntry("exc_type", "TaskRevokedError")
			.containsEntry("exc_module", "celery.exceptions")
			.containsEntry("exc_message", List.of(reason));
	}

}
