package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.backend.ForwardingResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for what {@link AsyncResult} gives its users: typed results, the final state without
 * propagation, the snapshot record and the exceptions of a wait.
 */
class AsyncResultTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(1));

	private final TaskTemplate template = template(new ForwardingResultBackend(this.backend));

	@Test
	void getConvertsToGenericType() {
		this.backend.store(ResultMeta.of("t1", CeleryStates.SUCCESS, List.of(Map.of("n", 1), Map.of("n", 2))));
		List<Item> items = this.template.result("t1").get(WAIT, new ParameterizedTypeReference<List<Item>>() {
		});
		assertThat(items).containsExactly(new Item(1), new Item(2));
		AsyncResult<List<Item>> typed = this.template.result("t1", new ParameterizedTypeReference<List<Item>>() {
		});
		assertThat(typed.get(WAIT)).containsExactly(new Item(1), new Item(2));
	}

	@Test
	void resultThatDoesNotFitTheTypeFailsWithATaskQueueException() {
		this.backend.store(ResultMeta.of("t1", CeleryStates.SUCCESS, "not a number"));
		assertThatExceptionOfType(TaskResultConversionException.class)
			.isThrownBy(() -> this.template.result("t1").get(WAIT, Integer.class))
			.withMessageContaining("t1")
			.withMessageContaining("Integer")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("t1"));
		assertThat(this.template.result("t1", Integer.class).toCompletableFuture())
			.failsWithin(WAIT)
			.withThrowableThat()
			.withCauseInstanceOf(TaskResultConversionException.class);
	}

	@Test
	void sendWithGenericTypeConvertsResult() {
		AsyncResult<List<Item>> sent = this.template.task("tasks.items")
			.send(new ParameterizedTypeReference<List<Item>>() {
			});
		this.backend.store(ResultMeta.of(sent.id(), CeleryStates.SUCCESS, List.of(Map.of("n", 3))));
		assertThat(sent.get(WAIT)).containsExactly(new Item(3));
	}

	@Test
	void awaitReturnsFailureWithoutThrowing() {
		this.backend.store(ResultMeta.ofException("t1", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "bad"), "Traceback ..."));
		TaskResult result = this.template.result("t1").await(WAIT);
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failed()).isTrue();
		assertThat(result.traceback()).isEqualTo("Traceback ...");
		assertThat(result.result()).isEqualTo(
				Map.of("exc_type", "ValueError", "exc_message", List.of("bad"), "exc_module", "builtins"));
		assertThat(result.dateDone()).isNotNull();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> this.template.result("t1").get(WAIT));
	}

	@Test
	void awaitReturnsRevokedWithoutThrowing() {
		this.backend.store(ResultMeta.ofException("t1", CeleryStates.REVOKED,
				ExceptionInfo.python("celery.exceptions", "TaskRevokedError", "expired"), null));
		assertThat(this.template.result("t1").await(WAIT).state()).isEqualTo(TaskState.REVOKED);
	}

	@Test
	void awaitTimesOutWithTaskIdTimeoutAndState() {
		this.backend.store(ResultMeta.of("t1", "PROGRESS", Map.of("current", 1)));
		assertThatExceptionOfType(TaskTimeoutException.class)
			.isThrownBy(() -> this.template.result("t1").await(Duration.ofMillis(50)))
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo("t1");
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(50));
				assertThat(ex.getLastState()).isEqualTo(TaskState.of("PROGRESS"));
			})
			.withMessage("Task t1 is still PROGRESS after PT0.05S");
	}

	@Test
	void snapshotCarriesChildrenRetriesAndLineage() {
		List<Object> children = new ArrayList<>();
		children.add(Arrays.asList(Arrays.asList("child-1", null), null));
		children.add(Arrays.asList(Arrays.asList("group-1", null), List.of()));
		Instant done = Instant.parse("2026-11-21T10:00:00Z");
		this.backend.store(new ResultMeta("t1", CeleryStates.SUCCESS, 3, null, children, done, "g1", 0, "p1",
				new ResultMeta.Extended("tasks.add", List.of(1, 2), Map.of(), "celery@host", 2, "celery")));
		AsyncResult<Object> handle = this.template.result("t1");
		assertThat(handle.children()).containsExactly("child-1", "group-1");
		assertThat(handle.retries()).isEqualTo(2);
		assertThat(handle.dateDone()).isEqualTo(done);
		TaskResult meta = handle.meta();
		assertThat(meta).isEqualTo(new TaskResult("t1", TaskState.SUCCESS, 3, null, done,
				List.of("child-1", "group-1"), "p1", "g1", "tasks.add", "celery@host", "celery", 2));
		assertThat(meta.successful()).isTrue();
	}

	@Test
	void pendingSnapshotHasNoRetriesOrChildren() {
		AsyncResult<Object> handle = this.template.result("unknown");
		assertThat(handle.meta().state()).isEqualTo(TaskState.PENDING);
		assertThat(handle.children()).isEmpty();
		assertThat(handle.retries()).isNull();
	}

	@Test
	void interruptedWaitRestoresFlagAndSaysSo() {
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(TaskInterruptedException.class)
				.isThrownBy(() -> this.template.result("t1").get(WAIT))
				.withMessage("Interrupted while waiting for the result of task t1")
				.withCauseInstanceOf(InterruptedException.class)
				.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("t1"));
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void backendFailureWhileWaitingIsRethrownAsIs() {
		ResultBackendException failure = new ResultBackendException("backend down");
		TaskTemplate failing = templateFailingToRead(failure);
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> failing.result("t1").get(WAIT))
			.isSameAs(failure);
	}

	@Test
	void otherFailureWhileWaitingIsWrappedInTaskQueueException() {
		IllegalStateException failure = new IllegalStateException("odd backend");
		TaskTemplate failing = templateFailingToRead(failure);
		assertThatExceptionOfType(TaskQueueException.class).isThrownBy(() -> failing.result("t1").await(WAIT))
			.isInstanceOf(ResultBackendException.class)
			.withMessageContaining("t1")
			.withCause(failure);
	}

	private TaskTemplate templateFailingToRead(RuntimeException failure) {
		return template(new ForwardingResultBackend(this.backend) {

			@Override
			public ResultMeta get(String taskId) {
				throw failure;
			}

		});
	}

	private static TaskTemplate template(ForwardingResultBackend backend) {
		return new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), backend,
				DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
				DataSize.ofKilobytes(64));
	}

	record Item(int n) {
	}

}
