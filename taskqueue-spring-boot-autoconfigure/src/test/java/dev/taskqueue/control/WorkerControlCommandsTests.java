package dev.taskqueue.control;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the control commands that change a running worker on the in-memory transports:
 * rate and time limits, queues consumed, the size of the pool, and shutdown.
 */
class WorkerControlCommandsTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	@Test
	void rateLimitHoldsTasksUntilItIsDisabled() {
		try (ControlFixture fixture = new ControlFixture(2).start()) {
			assertThat(fixture.call("rate_limit", Map.of("task_name", "c.tick", "rate_limit", "1/m")))
				.isEqualTo(Map.of("ok", "new rate limit set successfully"));
			fixture.template.send("c.tick");
			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.executions.get() == 1);
			fixture.template.send("c.tick");
			await().during(QUIET).atMost(ControlFixture.WAIT).until(() -> fixture.tasks.executions.get() == 1);

			assertThat(fixture.call("rate_limit", Map.of("task_name", "c.tick", "rate_limit", "")))
				.isEqualTo(Map.of("ok", "rate limit disabled successfully"));
			fixture.template.send("c.tick");

			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.executions.get() == 2);
			assertThat(fixture.call("registered")).asList().contains("c.tick");
		}
	}

	@Test
	void rateLimitErrors() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThat(fixture.call("rate_limit", Map.of("task_name", "c.nope", "rate_limit", "1/s")))
				.isEqualTo(Map.of("error", "unknown task"));
			assertThat(fixture.call("rate_limit", Map.of("task_name", "c.tick", "rate_limit", "fast")))
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
				.hasEntrySatisfying("error", (text) -> assertThat((String) text).startsWith("Invalid rate limit string: "));
			assertThat(fixture.call("rate_limit", Map.of("task_name", "c.tick", "rate_limit", List.of())))
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
				.containsKey("error");
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("rate_limit", Map.of("task_name", 3, "rate_limit", "1/s")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThat(fixture.call("registered")).asList().contains("c.tick [rate_limit=100/s]");
		}
	}

	@Test
	void timeLimitStopsTasksStartedAfterIt() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			Map<String, Object> limits = new HashMap<>();
			limits.put("task_name", "c.sleep");
			limits.put("hard", 0.3);
			limits.put("soft", null);
			assertThat(fixture.call("time_limit", limits)).isEqualTo(Map.of("ok", "time limits set successfully"));

			AsyncResult<Object> sleeping = fixture.template.send("c.sleep", 5_000);

			await().atMost(ControlFixture.WAIT).until(() -> sleeping.state().equals(TaskState.FAILURE));
			assertThat(fixture.worker.control().task("c.sleep").settings().timeLimit()).isEqualTo(Duration.ofMillis(300));
			assertThat(fixture.call("time_limit", Map.of("task_name", "c.nope", "hard", 1)))
				.isEqualTo(Map.of("error", "unknown task"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("time_limit", Map.of("task_name", "c.sleep", "hard", "long")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("time_limit", Map.of("task_name", "c.sleep", "soft", -1)))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
		}
	}

	@Test
	void addConsumerConsumesAQueueAndCancelConsumerStops() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			AsyncResult<Object> early = fixture.template.task("c.add").args(1, 1).queue("extra").send();
			await().during(QUIET).atMost(ControlFixture.WAIT).until(() -> fixture.broker.size("extra") == 1);

			assertThat(fixture.call("add_consumer", Map.of("queue", "extra", "exchange", "extra",
					"exchange_type", "direct", "routing_key", "extra")))
				.isEqualTo(Map.of("ok", "add consumer extra"));
			assertThat(early.get(ControlFixture.WAIT)).isEqualTo(2);
			assertThat(fixture.call("add_consumer", Map.of("queue", "extra")))
				.isEqualTo(Map.of("ok", "add consumer extra"));
			assertThat(fixture.worker.control().queues()).containsExactly("celery", "extra");
			assertThat(fixture.call("active_queues")).asList().hasSize(2);

			assertThat(fixture.call("cancel_consumer", Map.of("queue", "extra")))
				.isEqualTo(Map.of("ok", "no longer consuming from extra"));
			fixture.template.task("c.add").args(2, 2).queue("extra").send();
			await().during(QUIET).atMost(ControlFixture.WAIT).until(() -> fixture.broker.size("extra") == 1);

			assertThat(fixture.call("cancel_consumer", Map.of("queue", "celery")))
				.isEqualTo(Map.of("ok", "no longer consuming from celery"));
			fixture.template.send("c.add", 3, 3);
			await().during(QUIET).atMost(ControlFixture.WAIT).until(() -> fixture.broker.size("celery") == 1);
			assertThat(fixture.worker.control().queues()).isEmpty();
			fixture.call("add_consumer", Map.of("queue", "celery"));
			await().atMost(ControlFixture.WAIT).until(() -> fixture.broker.size("celery") == 0);
			assertThat(fixture.tasks.executions).hasValue(2);
		}
	}

	@Test
	void cancellingAConfiguredQueueLetsTheTasksTakenFromItFinish() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			AsyncResult<Object> running = fixture.template.send("c.block", "a");
			AsyncResult<Object> waiting = fixture.template.send("c.block", "b");
			await().atMost(ControlFixture.WAIT).until(() -> fixture.worker.control().requests().size() == 2);

			fixture.call("cancel_consumer", Map.of("queue", "celery"));
			fixture.tasks.release.countDown();

			assertThat(running.get(ControlFixture.WAIT)).isEqualTo("a");
			assertThat(waiting.get(ControlFixture.WAIT)).isEqualTo("b");
			assertThat(fixture.broker.size("celery")).isZero();
		}
	}

	@Test
	void poolGrowLetsMoreTasksRunAtOnceAndPoolShrinkAndAutoscaleResizeIt() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			for (int i = 0; i < 6; i++) {
				fixture.template.send("c.block", "task " + i);
			}
			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.running.get() == 1);
			await().during(QUIET).atMost(ControlFixture.WAIT).until(() -> fixture.tasks.running.get() == 1);
			assertThat(fixture.worker.control().requests()).hasSize(4);

			// past the prefetch window of 4, which grows with the pool as in Celery
			assertThat(fixture.call("pool_grow", Map.of("n", 4))).isEqualTo(Map.of("ok", "pool will grow"));

			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.running.get() == 5);
			assertThat(fixture.worker.control().concurrency()).isEqualTo(5);
			assertThat(fixture.worker.control().prefetch()).isEqualTo(20);
			assertThat(fixture.call("pool_shrink", Map.of("n", 4))).isEqualTo(Map.of("ok", "pool will shrink"));
			assertThat(fixture.worker.control().concurrency()).isEqualTo(1);
			assertThat(fixture.worker.control().prefetch()).isEqualTo(4);
			assertThat(fixture.tasks.mostRunning).hasValue(5);
			fixture.tasks.release.countDown();
			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.executions.get() == 6);
			assertThat(fixture.call("autoscale", Map.of("max", 4, "min", 2)))
				.isEqualTo(Map.of("ok", "autoscale now max=4 min=2"));
			assertThat(fixture.worker.control().concurrency()).isEqualTo(4);
			assertThat(fixture.call("stats")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.extractingByKey("pool")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("max-concurrency", 4);
			assertThat(fixture.call("stats")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("prefetch_count", 16);
		}
	}

	@Test
	void poolArgumentsAreChecked() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("pool_grow", Map.of("n", "x")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("pool_grow", Map.of("n", List.of(1))))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("pool_shrink", Map.of("n", 1)))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("autoscale", Map.of("max", 1, "min", 3)))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("pool_grow", Map.of("n", 1L << 40)))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("add_consumer", Map.of()))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("add_consumer", Map.of("queue", "q", "exchange_type", "weird")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThat(fixture.worker.control().concurrency()).isEqualTo(1);
			assertThat(fixture.worker.control().queues()).containsExactly("celery");
		}
	}

}
