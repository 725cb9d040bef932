package dev.taskqueue.autoconfigure.timelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.worker.TimeLimitTasks;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Time limits on a worker started by the auto-configuration against a real broker, with
 * concurrency 1 and a prefetch of 1: a task that never returns and ignores interruption ends
 * FAILURE {@code TimeLimitExceeded} with its message settled, and the next task still runs; a
 * soft limit interrupts a sleeping task that cleans up; the {@code timelimit} header wins over
 * the annotation and the {@code taskqueue.tasks.*} property. Subclasses supply the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TimeLimitBrokerTests {

	static final Duration TIMEOUT = Duration.ofSeconds(15);

	final String queue = "tl-" + UUID.randomUUID().toString().substring(0, 8);

	ConfigurableApplicationContext context;

	TaskTemplate template;

	WorkerState state;

	TimeLimitTasks tasks;

	/** The properties that point the worker at the broker and backend. */
	abstract Map<String, Object> brokerProperties();

	/** Assert that no message of the queue waits for an acknowledgement, or awaits it. */
	abstract void awaitNothingUnacknowledged();

	/** Remove what the tests left in the broker. */
	abstract void cleanUp();

	@BeforeAll
	void startWorker() {
		Map<String, Object> properties = new LinkedHashMap<>(brokerProperties());
		properties.put("taskqueue.default-queue", this.queue);
		properties.put("taskqueue.worker.concurrency", 1);
		properties.put("taskqueue.worker.prefetch-multiplier", 1);
		properties.put("taskqueue.worker.hostname", "celery@time-limits");
		properties.put("taskqueue.tasks[tl.sleep].time-limit", "700ms");
		this.context = new SpringApplicationBuilder(TimeLimitApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		this.template = this.context.getBean(TaskTemplate.class);
		this.state = this.context.getBean(WorkerState.class);
		this.tasks = this.context.getBean(TimeLimitTasks.class);
	}

	@AfterAll
	void stopWorker() {
		try {
			if (this.tasks != null) {
				this.tasks.stopSpinning = true;
			}
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			cleanUp();
		}
	}

	@BeforeEach
	void noRunaways() {
		await().atMost(TIMEOUT).until(() -> this.state.runawayTasks().isEmpty());
		this.tasks.stopSpinning = false;
	}

	@Test
	void runawayEndsTimeLimitExceededAndTheNextTaskStillRuns() {
		long abandoned = this.state.abandonedCount();
		AsyncResult<Object> spin = this.template.send("tl.spin");
		TaskResult failed = spin.await(TIMEOUT);
		assertThat(failed.state()).isEqualTo(TaskState.FAILURE);
		assertThat(failed.result()).isEqualTo(Map.of("exc_type", "TimeLimitExceeded", "exc_module",
				"billiard.exceptions", "exc_message", List.of(0.5)));
		awaitNothingUnacknowledged();
		assertThat(this.template.send("tl.sleep", 10).get(TIMEOUT)).as("the next task runs on the freed slot")
			.isEqualTo(10);
		assertThat(this.state.abandonedCount()).isEqualTo(abandoned + 1);
		assertThat(this.state.runawayTasks()).singleElement()
			.satisfies((runaway) -> assertThat(runaway.id()).isEqualTo(spin.id()));

		this.tasks.stopSpinning = true;
		await().atMost(TIMEOUT).until(() -> this.state.runawayTasks().isEmpty());
		assertThat(spin.meta().state()).as("what the runaway returned is discarded").isEqualTo(TaskState.FAILURE);
		awaitNothingUnacknowledged();
		assertThat(this.template.send("tl.sleep", 10).get(TIMEOUT)).isEqualTo(10);
	}

	@Test
	void softLimitInterruptsASleepingTaskWhichCleansUp() {
		int cleanups = this.tasks.cleanups.get();
		AsyncResult<Object> nap = this.template.send("tl.nap", 20_000);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> nap.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
			assertThat(ex.getExceptionArguments()).containsExactly(0.3);
		});
		assertThat(this.tasks.cleanups).hasValue(cleanups + 1);
	}

	@Test
	void taskThatReturnsAfterItsSoftLimitIsStoredAsSuccess() {
		assertThat(this.template.send("tl.spinUntilSoft").get(TIMEOUT)).isEqualTo("noticed");
		assertThat(this.template.send("tl.napThenReturn", 20_000).get(TIMEOUT)).isEqualTo("cleaned up");
	}

	@Test
	void aRetryAskedForAtTheSoftLimitIsSent() {
		assertThat(this.template.send("tl.retryOnSoft").get(TIMEOUT)).isEqualTo("retried");
	}

	@Test
	void headerWinsOverTheAnnotationAndTheProperty() {
		AsyncResult<Object> annotated = this.template.task("tl.sleepLongLimits")
			.args(20_000)
			.timeLimit(Duration.ofMillis(300))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> annotated.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
				assertThat(ex.getExceptionArguments()).containsExactly(0.3);
			});
		AsyncResult<Object> property = this.template.send("tl.sleep", 20_000);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> property.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionArguments()).as("taskqueue.tasks[tl.sleep].time-limit")
				.containsExactly(0.7));
		AsyncResult<Object> header = this.template.task("tl.sleep")
			.args(20_000)
			.softTimeLimit(Duration.ofMillis(200))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> header.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
				assertThat(ex.getExceptionArguments()).containsExactly(0.2);
			});
	}

}
