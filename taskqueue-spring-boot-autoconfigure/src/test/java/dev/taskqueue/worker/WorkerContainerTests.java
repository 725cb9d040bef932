package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskRevokedException;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageProperties;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerContainer} on the in-memory broker and backend.
 */
class WorkerContainerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private WorkerFixture fixture;

	@BeforeEach
	void startWorker() {
		this.fixture = new WorkerFixture(2).start();
	}

	@AfterEach
	void stopWorker() {
		this.fixture.close();
	}

	@Test
	void runsTaskAndStoresResult() {
		AsyncResult<Long> result = this.fixture.template.task("t.add").args(2, 3).send(Long.class);
		assertThat(result.get(TIMEOUT)).isEqualTo(5L);
		assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.dateDone()).isNotNull();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.fixture.state.processedCounts())
				.containsEntry("t.add", Map.of("SUCCESS", 1L)));
	}

	@Test
	void bindsKeywordArgumentsAndRecordsAndInjectsContext() {
		AsyncResult<Object> result = this.fixture.template.task("t.norm")
			.kwarg("point", Map.of("x", 3, "y", 4))
			.send();
		assertThat(result.get(TIMEOUT, Double.class)).isEqualTo(5.0);
		assertThat(this.fixture.tasks.executedIds).containsExactly(result.id());
	}

	@Test
	void convertsListsToGenericParameterTypes() {
		assertThat(this.fixture.template.send("t.sum", List.of(1, 2, 3)).get(TIMEOUT)).isEqualTo(6);
	}

	@Test
	void defaultTaskNameIsClassAndMethod() {
		assertThat(this.fixture.registry.names()).contains(TestTasks.class.getName() + ".unnamed");
	}

	@Test
	void failureCarriesExceptionAndTraceback() {
		AsyncResult<Object> result = this.fixture.template.send("t.fail", "boom");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
				assertThat(ex.getExceptionModule()).isEqualTo("java.lang");
				assertThat(ex.getExceptionArguments()).containsExactly("boom");
				assertThat(ex.getRemoteTraceback()).contains("IllegalStateException: boom").contains("TestTasks.fail");
			});
		assertThat(result.failed()).isTrue();
	}

	@Test
	void unknownTaskFailsNotRegisteredIsDeadLetteredAndWorkerGoesOn() {
		AsyncResult<Object> unknown = this.fixture.template.send("t.nosuch", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> unknown.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
				assertThat(ex.getExceptionModule()).isEqualTo("celery.exceptions");
				assertThat(ex.getExceptionArguments()).containsExactly("t.nosuch");
			});
		assertThat(this.fixture.broker.deadLetters("celery", 100)).singleElement()
			.satisfies((dead) -> assertThat(dead.reason()).contains("'t.nosuch' is not registered"));
		assertThat(this.fixture.template.send("t.add", 1, 1).get(TIMEOUT)).isEqualTo(2);
	}

	@Test
	void malformedMessageIsDeadLetteredWithReasonAndWorkerGoesOn() {
		byte[] twoElementBody = "[[7, 8], {}]".getBytes();
		EncodedMessage bad = new EncodedMessage(Map.of("task", "t.add", "id", "bad-1"),
				new MessageProperties("bad-1", null, 2, 0, null), "application/json", "utf-8", twoElementBody);
		this.fixture.broker.publish(new OutboundMessage(bad, Destination.queue("celery")));
		await().atMost(TIMEOUT).until(() -> !this.fixture.broker.deadLetters("celery", 100).isEmpty());
		assertThat(this.fixture.broker.deadLetters("celery", 100).get(0).reason()).startsWith("Invalid task message")
			.contains("[args, kwargs, embed]");
		assertThat(this.fixture.state.rejectedCount()).isEqualTo(1);
		assertThat(this.fixture.template.send("t.add", 2, 2).get(TIMEOUT)).isEqualTo(4);
	}

	@Test
	void argumentsThatDoNotFitFailWithTypeErrorOnceWithoutRunning() {
		AsyncResult<Object> result = this.fixture.template.send("t.add", "two", 3);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("TypeError");
				assertThat(ex.getExceptionModule()).isEqualTo("builtins");
				assertThat(ex.getExceptionMessage()).contains("argument 'x'").contains("'two'");
			});
		assertThat(this.fixture.tasks.executions).hasValue(0);
		assertThat(this.fixture.broker.deadLetters("celery", 100)).singleElement()
			.satisfies((dead) -> assertThat(dead.reason()).startsWith("TypeError"));
		assertThat(this.fixture.broker.size("celery")).isZero();
	}

	@Test
	void unexpectedAndMissingArgumentsAreTypeErrors() {
		AsyncResult<Object> extra = this.fixture.template.task("t.add").args(1, 2).kwarg("z", 3).send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> extra.get(TIMEOUT))
			.withMessageContaining("unexpected keyword argument 'z'");
		AsyncResult<Object> missing = this.fixture.template.send("t.add", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> missing.get(TIMEOUT))
			.withMessageContaining("missing required argument: 'y'");
	}

	@Test
	void countdownHoldsTaskUntilDue() {
		Instant sent = Instant.now();
		AsyncResult<Object> result = this.fixture.template.task("t.add")
			.args(1, 2)
			.countdown(Duration.ofMillis(700))
			.send();
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
		assertThat(result.get(TIMEOUT)).isEqualTo(3);
		assertThat(result.dateDone()).isAfterOrEqualTo(sent.plusMillis(700));
	}

	@Test
	void expiredTaskIsRevokedAndNotRun() {
		AsyncResult<Object> result = this.fixture.template.task("t.add")
			.args(1, 2)
			.expires(Instant.now().minusSeconds(1))
			.send();
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.withMessageContaining("expired");
		assertThat(this.fixture.tasks.executions).hasValue(0);
		assertThat(this.fixture.backend.get(result.id()).exception().type()).isEqualTo("TaskRevokedError");
	}

	@Test
	void ignoredResultIsNotStored() {
		AsyncResult<Object> result = this.fixture.template.send("t.quiet");
		await().atMost(TIMEOUT).untilAtomic(this.fixture.tasks.executions, org.hamcrest.Matchers.equalTo(1));
		await().atMost(TIMEOUT).until(() -> this.fixture.state.processedTotal() == 1);
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void trackedTaskShowsStartedThenCustomStateWhileRunningAndIsActive() throws Exception {
		AsyncResult<Object> result = this.fixture.template.send("t.blocking");
		this.fixture.tasks.blockingStarted.await();
		ResultMeta running = this.fixture.backend.get(result.id());
		assertThat(running.status()).isEqualTo("PROGRESS");
		assertThat(running.result()).isEqualTo(Map.of("current", 1, "total", 2));
		assertThat(this.fixture.state.activeTasks()).singleElement()
			.satisfies((active) -> assertThat(active.id()).isEqualTo(result.id()));
		this.fixture.tasks.release.countDown();
		assertThat(result.get(TIMEOUT)).isEqualTo("done");
		assertThat(this.fixture.state.activeTasks()).isEmpty();
	}

	@Test
	void taskSentFromTaskHasItAsParent() {
		AsyncResult<Object> parent = this.fixture.template.send("t.parent");
		String childId = (String) parent.get(TIMEOUT);
		this.fixture.template.result(childId).get(TIMEOUT);
		assertThat(this.fixture.tasks.childHeaders).containsEntry("root_id", parent.id())
			.containsEntry("parent_id", parent.id());
	}

	@Test
	void completableFutureCompletesWithResult() {
		assertThat(this.fixture.template.send("t.add", 20, 22).toCompletableFuture()).succeedsWithin(TIMEOUT)
			.isEqualTo(42);
	}

}
