package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.ResultMeta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries on the in-memory broker: Celery's {@code self.retry} and {@code autoretry_for}, the
 * retry count, the delays and what is stored when no retry is left.
 */
class WorkerRetryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final RetryTasks retryTasks = new RetryTasks();

	private WorkerFixture fixture;

	@BeforeEach
	void start() {
		this.fixture = new WorkerFixture(2);
		new CeleryTaskAnnotationBeanPostProcessor(this.fixture.registry)
			.postProcessAfterInitialization(this.retryTasks, "retryTasks");
		this.fixture.start();
	}

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void retryRunsTheSameTaskIdAgainWithTheRetryCountRaisedAndStoresRetryMeanwhile() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_once");
		await().atMost(TIMEOUT).until(() -> !this.retryTasks.runsOf(result.id()).isEmpty());
		assertThat(result.get(TIMEOUT)).isEqualTo(1);
		List<Instant> runs = this.retryTasks.runsOf(result.id());
		assertThat(runs).hasSize(2);
		assertThat(Duration.between(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		ResultMeta done = this.fixture.backend.get(result.id());
		assertThat(done.parentId()).as("the retry is sent by the task itself").isEqualTo(result.id());
	}

	@Test
	void retryStateCarriesTheExceptionAndTheRetryAsChild() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_with_exception");
		TaskResult retry = await().atMost(TIMEOUT)
			.until(result::meta, (meta) -> meta.state().equals(TaskState.RETRY) || meta.ready());
		if (retry.state().equals(TaskState.RETRY)) {
			assertThat(retry.result()).isInstanceOfSatisfying(Map.class,
					(exception) -> assertThat(exception.get("exc_type")).isEqualTo("IllegalArgumentException"));
			assertThat(retry.children()).containsExactly(result.id());
		}
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("IllegalArgumentException"));
	}

	@Test
	void autoretryRunsExactlyMaxRetriesPlusOneTimesWithDoublingDelaysThenFailsWithTheOriginalException() {
		AsyncResult<Object> result = this.fixture.template.send("r.always_fails");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
			assertThat(ex.getExceptionMessage()).isEqualTo("attempt 2");
		});
		List<Instant> runs = this.retryTasks.runsOf(result.id());
		assertThat(runs).hasSize(3);
		// retry_backoff=1 without jitter: 1 s, then 2 s
		assertThat(Duration.between(runs.get(0), runs.get(1))).isBetween(Duration.ofMillis(1000),
				Duration.ofMillis(1900));
		assertThat(Duration.between(runs.get(1), runs.get(2))).isBetween(Duration.ofMillis(2000),
				Duration.ofMillis(2900));
	}

	@Test
	void retryWithoutExceptionPastMaxRetriesFailsWithMaxRetriesExceededError() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_without_exception");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("MaxRetriesExceededError");
			assertThat(ex.getExceptionModule()).isEqualTo("celery.exceptions");
			assertThat(ex.getExceptionMessage()).startsWith("Can't retry r.retry_without_exception[" + result.id());
		});
		assertThat(this.retryTasks.runsOf(result.id())).hasSize(2);
	}

	@Test
	void maxRetriesGivenWithTheRetryOverridesTheTasks() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_with_exception");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("bad input 1"));
		assertThat(this.retryTasks.runsOf(result.id())).hasSize(2);
	}

	@Test
	void dontAutoretryForExcludesExceptions() {
		AsyncResult<Object> result = this.fixture.template.send("r.not_autoretried");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("IllegalArgumentException"));
		assertThat(this.retryTasks.runsOf(result.id())).hasSize(1);
	}

	@Test
	void autoretryWithoutBackoffWaitsTheDefaultRetryDelay() {
		AsyncResult<Object> result = this.fixture.template.send("r.autoretried_at_default_delay");
		assertThat(result.get(TIMEOUT)).isEqualTo(1);
		List<Instant> runs = this.retryTasks.runsOf(result.id());
		assertThat(Duration.between(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void retriesAreCounted() {
		AsyncResult<Object> result = this.fixture.template.send("r.retry_once");
		assertThat(result.get(TIMEOUT)).isEqualTo(1);
		await().atMost(TIMEOUT).until(() -> this.fixture.state.processedCounts().getOrDefault("r.retry_once", Map.of())
			.getOrDefault("RETRY", 0L) == 1L);
	}

}
