package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.actuate.TaskQueueHealthIndicator;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.protocol.JsonResultMetaCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for what the {@link TaskQueueHealthIndicator} learns from the worker
 * ({@link WorkerContainer#problems()}) and the result backend.
 */
class WorkerHealthTests {

	@Test
	void wedgedPoolIsDownUntilATaskFinishes() {
		WorkerSettings settings = new WorkerSettings("celery@test", List.of("celery"), 1, 2, Duration.ofSeconds(5),
				false, 10, Duration.ofMillis(300), WorkerSettings.DEFAULT_MAX_DELIVERIES);
		try (WorkerFixture fixture = new WorkerFixture(settings).start()) {
			TaskQueueHealthIndicator indicator = new TaskQueueHealthIndicator(fixture.broker, fixture.backend,
					fixture.worker);
			fixture.template.send("t.blocking");
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.activeTasks().size() == 1);
			fixture.template.send("t.add", 1, 2);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
			Health down = indicator.health();
			assertThat(down.getDetails()).containsKey("workerError");
			assertThat(down.getDetails().get("workerError")).asString()
				.contains("1 task(s) waited")
				.contains("stall timeout");

			fixture.tasks.release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health().getStatus().equals(Status.UP));
		}
	}

	@Test
	void idleWorkerWithNothingWaitingStaysUp() {
		WorkerSettings settings = new WorkerSettings("celery@test", List.of("celery"), 1, 2, Duration.ofSeconds(5),
				false, 10, Duration.ofMillis(50), WorkerSettings.DEFAULT_MAX_DELIVERIES);
		try (WorkerFixture fixture = new WorkerFixture(settings).start()) {
			assertThat(fixture.template.send("t.add", 1, 2).get(Duration.ofSeconds(5))).isEqualTo(3);
			TaskQueueHealthIndicator indicator = new TaskQueueHealthIndicator(fixture.broker, fixture.backend,
					fixture.worker);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
		}
	}

	@Test
	void anOutOfMemoryErrorFromOneOversizedAllocationLeavesTheWorkerUp() {
		try (WorkerFixture fixture = new WorkerFixture(1).start()) {
			fixture.state.failed(new OutOfMemoryError("Requested array size exceeds VM limit"));
			assertThat(fixture.state.lastFailure()).isNotNull().satisfies((failure) -> {
				assertThat(failure.fatal()).isTrue();
				assertThat(failure.description()).contains("OutOfMemoryError");
			});
			// the heap of this test JVM is far from full: one failed allocation is not a JVM out of memory
			assertThat(HeapUsage.nearlyFull()).isFalse();
			assertThat(fixture.worker.problems()).isEmpty();
		}
	}

	@Test
	void unreachableResultBackendIsDown() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
		factory.afterPropertiesSet();
		try (WorkerFixture fixture = new WorkerFixture(1)) {
			RedisResultBackend backend = new RedisResultBackend(factory, new JsonResultMetaCodec(), Duration.ZERO,
					"redis://127.0.0.1:1/0");
			Health health = new TaskQueueHealthIndicator(fixture.broker, backend, fixture.worker).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			Map<String, Object> details = health.getDetails();
			assertThat(details).containsEntry("backend", "redis://127.0.0.1:1/0").containsKey("backendError")
				.doesNotContainKey("error");
		}
		finally {
			factory.destroy();
		}
	}

}
