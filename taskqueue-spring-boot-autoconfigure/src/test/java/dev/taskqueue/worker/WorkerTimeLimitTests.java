package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Show;

import dev.taskqueue.actuate.TaskQueueDescriptor;
import dev.taskqueue.actuate.TaskQueueEndpoint;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Time limits on a worker with the in-memory broker and backend: the soft limit interrupts
 * the task, which may clean up; the hard limit fails the task with Celery's
 * {@code TimeLimitExceeded} and gives its slot to the next task even when the task ignores
 * interruption.
 */
class WorkerTimeLimitTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WorkerFixture fixture = new WorkerFixture(1);

	private final TimeLimitTasks tasks = new TimeLimitTasks();

	private final StaleDeliveryTests.VoidableBroker broker = new StaleDeliveryTests.VoidableBroker(this.fixture.broker);

	private final WorkerContainer worker;

	/** Task runs that left their thread interrupted. */
	private final AtomicInteger leftInterrupted = new AtomicInteger();

	WorkerTimeLimitTests() {
		new CeleryTaskAnnotationBeanPostProcessor(this.fixture.registry).postProcessAfterInitialization(this.tasks,
				"timeLimitTasks");
		this.worker = new WorkerContainer(this.broker, this.fixture.backend, this.fixture.registry, this.fixture.state,
				this.fixture.worker.settings(), CeleryJson.newMapper(), null);
		this.worker.setTaskDecorator((run) -> () -> {
			run.run();
			if (Thread.currentThread().isInterrupted()) {
				this.leftInterrupted.incrementAndGet();
			}
		});
		this.worker.start();
	}

	@AfterEach
	void stop() {
		this.tasks.stopSpinning = true;
		this.worker.stop();
		this.fixture.close();
	}

	@Test
	void runawayFailsWithTimeLimitExceededAndTheNextTaskStillRunsWithConcurrencyOne() throws Exception {
		AsyncResult<Object> spin = this.fixture.template.send("tl.spin");
		TaskResult failed = spin.await(TIMEOUT);
		assertThat(failed.state()).isEqualTo(TaskState.FAILURE);
		assertThat(failed.result()).isEqualTo(Map.of("exc_type", "TimeLimitExceeded", "exc_module",
				"billiard.exceptions", "exc_message", List.of(0.5)));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.broker.settled)
			.as("the runaway's message is acknowledged").hasValue(1));
		assertThat(this.tasks.spinReturned).hasValue(0);
		assertThat(this.fixture.template.send("t.add", 2, 3).get(TIMEOUT)).isEqualTo(5);
		assertThat(this.fixture.state.abandonedCount()).isEqualTo(1);
		assertThat(this.fixture.state.runawayTasks()).singleElement().satisfies((runaway) -> {
			assertThat(runaway.id()).isEqualTo(spin.id());
			assertThat(runaway.name()).isEqualTo("tl.spin");
			assertThat(runaway.thread()).startsWith("taskqueue-worker-");
			assertThat(runaway.abandonedTime()).isAfter(runaway.startTime());
		});
		assertThat(this.fixture.state.activeTasks()).isEmpty();

		this.tasks.stopSpinning = true;
		await().atMost(TIMEOUT).until(() -> this.fixture.state.runawayTasks().isEmpty());
		assertThat(this.tasks.spinReturned).hasValue(1);
		assertThat(spin.meta().state()).as("what the runaway returned is discarded").isEqualTo(TaskState.FAILURE);
		assertThat(this.broker.settled).hasValue(2);
		assertThat(this.fixture.state.processedCounts()).containsEntry("tl.spin", Map.of("FAILURE", 1L))
			.containsEntry("t.add", Map.of("SUCCESS", 1L));
		assertThat(this.fixture.state.abandonedCount()).isEqualTo(1);
		assertThat(this.fixture.template.send("t.add", 4, 5).get(TIMEOUT)).isEqualTo(9);
	}

	@Test
	void thePoolGrowsByItsConcurrencyAtMost() {
		assertThat(this.fixture.template.send("tl.spin").await(TIMEOUT).state()).isEqualTo(TaskState.FAILURE);
		assertThat(this.fixture.template.send("tl.spin").await(TIMEOUT).state()).as("on the replacement thread")
			.isEqualTo(TaskState.FAILURE);
		assertThat(this.fixture.state.runawayTasks()).hasSize(2);
		AsyncResult<Object> sum = this.fixture.template.send("t.add", 2, 3);
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT)
			.until(() -> this.fixture.state.waitingCount() == 1 && !sum.ready());
		this.tasks.stopSpinning = true;
		assertThat(sum.get(TIMEOUT)).isEqualTo(5);
		await().atMost(TIMEOUT).until(() -> this.fixture.state.runawayTasks().isEmpty());
		assertThat(this.fixture.state.abandonedCount()).isEqualTo(2);
	}

	@Test
	void theEndpointShowsAbandonedAndRunawayTasks() {
		TaskQueueEndpoint endpoint = new TaskQueueEndpoint(this.broker, this.fixture.backend, this.worker,
				this.fixture.state, this.fixture.registry, Show.NEVER);
		assertThat(endpoint.taskQueue().abandoned()).isZero();
		AsyncResult<Object> spin = this.fixture.template.send("tl.spin");
		spin.await(TIMEOUT);
		TaskQueueDescriptor descriptor = endpoint.taskQueue();
		assertThat(descriptor.abandoned()).isEqualTo(1);
		assertThat(descriptor.runaways()).singleElement().satisfies((runaway) -> {
			assertThat(runaway.id()).isEqualTo(spin.id());
			assertThat(runaway.name()).isEqualTo("tl.spin");
		});
		this.tasks.stopSpinning = true;
		await().atMost(TIMEOUT).until(() -> endpoint.taskQueue().runaways().isEmpty());
		assertThat(endpoint.taskQueue().abandoned()).isEqualTo(1);
	}

	@Test
	void softLimitInterruptsASleepingTaskWhichCleansUpAndFails() {
		AsyncResult<Object> nap = this.fixture.template.send("tl.nap", 20_000);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> nap.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
			assertThat(ex.getExceptionArguments()).containsExactly(0.3);
			assertThat(ex.getRemoteTraceback()).contains("SoftTimeLimitExceededException")
				.contains("java.lang.InterruptedException");
		});
		assertThat(this.tasks.cleanups).hasValue(1);
		assertThat(this.fixture.state.abandonedCount()).isZero();
	}

	@Test
	void taskThatReturnsAfterItsSoftLimitSucceeds() {
		assertThat(this.fixture.template.send("tl.napThenReturn", 20_000).get(TIMEOUT)).isEqualTo("cleaned up");
		assertThat(this.tasks.cleanups).hasValue(1);
		assertThat(this.fixture.template.send("t.sleep", 10).get(TIMEOUT)).as("the next task is not interrupted")
			.isNull();
	}

	@Test
	void checkingTheSoftLimitThrowsAndClearsTheInterruptForTheCleanup() {
		AsyncResult<Object> crunch = this.fixture.template.send("tl.crunch");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> crunch.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded"));
		assertThat(this.tasks.cleanups).hasValue(1);
		assertThat(this.tasks.blockingCleanups).hasValue(1);
	}

	@Test
	void taskThatIgnoresItsSoftLimitAndReturnsSucceedsAndLeavesNoInterrupt() {
		assertThat(this.fixture.template.send("tl.spinUntilSoft").get(TIMEOUT)).isEqualTo("noticed");
		assertThat(this.fixture.template.send("t.sleep", 10).get(TIMEOUT)).isNull();
		assertThat(this.leftInterrupted).as("runs that left their thread interrupted").hasValue(0);
	}

	@Test
	void aRetryAskedForAtTheSoftLimitIsARetry() {
		assertThat(this.fixture.template.send("tl.retryOnSoft").get(TIMEOUT)).isEqualTo("retried");
	}

	@Test
	void theSoftLimitCanBeRetriedAutomaticallyAndFailsAsCeleryWhenNoRetryIsLeft() {
		AsyncResult<Object> result = this.fixture.template.send("tl.autoretrySoft", 20_000);
		List<TaskResult> states = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT, states::add))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
				assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
				assertThat(ex.getExceptionArguments()).containsExactly(0.2);
			});
		assertThat(states).extracting(TaskResult::state).containsExactly(TaskState.RETRY, TaskState.FAILURE);
		assertThat(states.get(0).result()).as("the RETRY state's exception").isEqualTo(Map.of("exc_type",
				"SoftTimeLimitExceeded", "exc_module", "billiard.exceptions", "exc_message", List.of(0.2)));
		assertThat(this.tasks.autoretryRuns).hasValue(2);
	}

	@Test
	void headerWinsOverTheTasksOwnLimits() {
		AsyncResult<Object> hard = this.fixture.template.task("tl.sleepLongLimits")
			.args(20_000)
			.timeLimit(Duration.ofMillis(300))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> hard.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
			assertThat(ex.getExceptionArguments()).containsExactly(0.3);
		});
		AsyncResult<Object> soft = this.fixture.template.task("tl.sleepLongLimits")
			.args(20_000)
			.softTimeLimit(Duration.ofMillis(200))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> soft.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getExceptionArguments()).containsExactly(0.2);
		});
	}

	@Test
	void headerElementThatIsMissingFallsBackToTheTasksLimit() {
		AsyncResult<Object> result = this.fixture.template.task("tl.sleepShortHard")
			.args(20_000)
			.softTimeLimit(Duration.ofSeconds(30))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionArguments()).containsExactly(0.4));
	}

	@Test
	void headerLimitsATaskWithoutLimitsOfItsOwn() {
		AsyncResult<Object> result = this.fixture.template.task("tl.sleep").args(20_000).timeLimit(Duration.ofSeconds(1))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionArguments()).containsExactly(1));
		await().atMost(TIMEOUT).until(() -> this.fixture.state.runawayTasks().isEmpty());
		assertThat(this.fixture.template.task("tl.sleep").args(10).send().get(TIMEOUT)).isEqualTo(10);
	}

	@Test
	void stoppingTheWorkerDoesNotWaitForARunaway() {
		AsyncResult<Object> spin = this.fixture.template.send("tl.spin");
		spin.await(TIMEOUT);
		long start = System.nanoTime();
		this.worker.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(this.worker.settings().shutdownTimeout());
		assertThat(this.fixture.state.runawayTasks()).hasSize(1);
	}

}
