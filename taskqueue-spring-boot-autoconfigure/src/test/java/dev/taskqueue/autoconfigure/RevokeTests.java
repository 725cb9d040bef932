package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Revoking through whole applications on a real broker, the way users do it: a revoked
 * countdown task never runs and ends REVOKED, also when the worker restarts in between (a new
 * application whose fresh store must load the revoke); a terminating revoke interrupts the
 * running task, which ends REVOKED {@code terminated}; a revoke expires after its time to
 * live. Subclasses give the transports; names start with {@code revoke-}.
 */
abstract class RevokeTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	/** The queue of the test; {@code <name>-revoked} names its store of revoked tasks. */
	protected final String name = "revoke-" + UUID.randomUUID().toString().substring(0, 8);

	/**
	 * The application: the auto-configuration with the transports of the subclass, and a
	 * store of revoked tasks named after the test ({@code revoke.test.store}).
	 * @return the context runner
	 */
	protected abstract ApplicationContextRunner transports();

	protected ApplicationContextRunner application() {
		return transports().withUserConfiguration(RevokeTasksConfiguration.class)
			.withPropertyValues("taskqueue.default-queue=" + this.name, "taskqueue.worker.concurrency=2",
					"taskqueue.worker.shutdown-timeout=5s", "revoke.test.store=" + this.name + "-revoked");
	}

	@Test
	void revokedCountdownTaskNeverRunsAndEndsRevoked() {
		application().run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			AsyncResult<Object> sum = tasks.task("revoke.add").args(2, 3).countdown(Duration.ofSeconds(2)).send();
			await().atMost(WAIT).until(() -> context.getBean(WorkerState.class).reservedCount() == 1);

			sum.revoke();

			await().atMost(WAIT).until(() -> TaskState.REVOKED.equals(sum.state()));
			await().atMost(WAIT).until(() -> revokedCount(context, "revoke.add") == 1);
			assertThat(context.getBean(RevokeTasks.class).executions).hasValue(0);
			assertThat(context.getBean(WorkerState.class).reservedCount()).isZero();
			assertThat(exceptionMessage(sum)).isEqualTo(List.of("revoked"));
		});
	}

	@Test
	void revokedCountdownTaskDoesNotRunAfterAWorkerRestart() {
		String[] id = new String[1];
		application().run((first) -> {
			AsyncResult<Object> sum = first.getBean(TaskOperations.class)
				.task("revoke.add")
				.args(2, 3)
				.countdown(Duration.ofSeconds(3))
				.send();
			id[0] = sum.id();
			await().atMost(WAIT).until(() -> first.getBean(WorkerState.class).reservedCount() == 1);
			sum.revoke();
		});
		// the first worker gave the held message back; a new one, whose store is new, gets it
		application().run((second) -> {
			assertThat(second.getBean(RevokedTaskStore.class).isRevoked(id[0])).isTrue();
			await().atMost(WAIT).until(() -> revokedCount(second, "revoke.add") == 1);
			assertThat(second.getBean(RevokeTasks.class).executions).hasValue(0);
			assertThat(second.getBean(WorkerState.class).reservedCount()).isZero();
			assertRevokedAfterRestart(second, id[0]);
		});
	}

	/**
	 * Check what a client of the second application reads of a task revoked by the first.
	 * @param context the second application
	 * @param id the task id
	 */
	protected abstract void assertRevokedAfterRestart(AssertableApplicationContext context, String id);

	@Test
	void terminateInterruptsTheRunningTaskWhichEndsTerminated() {
		application().run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			AsyncResult<Object> sleeping = tasks.send("revoke.sleep", 60_000);
			await().atMost(WAIT).until(() -> context.getBean(WorkerState.class).activeTasks().size() == 1);

			sleeping.revoke(true);

			await().atMost(WAIT).until(() -> revokedCount(context, "revoke.sleep") == 1);
			await().atMost(WAIT).until(() -> List.of("terminated").equals(exceptionMessage(sleeping)));
			assertThat(sleeping.state()).isEqualTo(TaskState.REVOKED);
			assertThat(context.getBean(RevokeTasks.class).executions).hasValue(0);
			assertThat(tasks.send("revoke.add", 2, 3).get(WAIT)).isEqualTo(5);
		});
	}

	@Test
	void revokesExpireAfterTheirTimeToLive() {
		application().withPropertyValues("taskqueue.worker.revoked-ttl=1s").run((context) -> {
			RevokedTaskStore store = context.getBean(RevokedTaskStore.class);
			assertThat(store.ttl()).isEqualTo(Duration.ofSeconds(1));
			String id = UUID.randomUUID().toString();
			store.revoke(List.of(id), false);
			assertThat(store.isRevoked(id)).isTrue();

			await().atMost(WAIT).until(() -> !store.isRevoked(id));

			AsyncResult<Object> sum = context.getBean(TaskOperations.class).task("revoke.add").id(id).args(2, 3).send();
			assertThat(sum.get(WAIT)).isEqualTo(5);
		});
	}

	static long revokedCount(AssertableApplicationContext context, String task) {
		return context.getBean(WorkerState.class)
			.processedCounts()
			.getOrDefault(task, Map.of())
			.getOrDefault("REVOKED", 0L);
	}

	static Object exceptionMessage(AsyncResult<Object> result) {
		return (result.result() instanceof Map<?, ?> exception) ? exception.get("exc_message") : null;
	}

	@Configuration(proxyBeanMethods = false)
	static class RevokeTasksConfiguration {

		@Bean
		RevokeTasks revokeTasks() {
			return new RevokeTasks();
		}

	}

	static class RevokeTasks {

		final AtomicInteger executions = new AtomicInteger();

		@CeleryTask(name = "revoke.add")
		long add(long x, long y) {
			this.executions.incrementAndGet();
			return x + y;
		}

		@CeleryTask(name = "revoke.sleep")
		void sleep(long millis) throws InterruptedException {
			Thread.sleep(millis);
			this.executions.incrementAndGet();
		}

	}

}
