package dev.taskqueue.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.ResultMeta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link AsyncResult#get(Duration, Consumer)} and {@link AsyncResult#onUpdate}
 * against a real worker (on the in-memory broker) that stores to the result backend of the
 * subclass, read by a client on a backend of its own.
 */
abstract class TaskUpdatesTests {

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String PROGRESS = "PROGRESS";

	private ProgressWorker worker;

	private TaskTemplate template;

	/**
	 * The backend the worker stores to.
	 * @return the worker's backend
	 */
	abstract ResultBackend workerBackend();

	/**
	 * The backend the client reads from.
	 * @return the client's backend
	 */
	abstract ResultBackend clientBackend();

	/**
	 * Whether the backend keeps when a task finished: Celery's rpc messages do not carry it.
	 * @return whether final states have a {@code date_done}
	 */
	boolean keepsDateDone() {
		return true;
	}

	@BeforeEach
	void startWorker() {
		this.worker = new ProgressWorker(workerBackend(), clientBackend());
		this.template = this.worker.template;
	}

	@AfterEach
	void stopWorker() {
		this.worker.close();
	}

	@Test
	void getCallsBackWithEveryStateInOrderBeforeReturning() {
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		AsyncResult<String> result = send("progress.steps");
		String value = result.get(TIMEOUT, goOnStarted(updates::add));
		assertThat(value).isEqualTo("done");
		assertStepsThenSuccess(result.id(), updates);
	}

	@Test
	void onUpdateCallsBackWithoutWaiting() {
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		AsyncResult<String> result = send("progress.steps");
		try (UpdateSubscription subscription = result.onUpdate(goOnStarted(updates::add))) {
			await().atMost(TIMEOUT).until(() -> !updates.isEmpty() && updates.get(updates.size() - 1).ready());
		}
		assertStepsThenSuccess(result.id(), updates);
		assertThat(result.get(TIMEOUT)).isEqualTo("done");
	}

	@Test
	void failureEndsTheUpdates() {
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		AsyncResult<String> result = send("progress.fail");
		assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> result.get(TIMEOUT, goOnStarted(updates::add)))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("broken after step 1"));
		assertThat(updates).extracting(TaskResult::state)
			.containsExactly(TaskState.STARTED, TaskState.of(PROGRESS), TaskState.FAILURE);
		TaskResult failure = updates.get(2);
		assertThat(failure.result()).isInstanceOfSatisfying(Map.class, (exception) -> {
			assertThat(exception.get("exc_type")).isEqualTo("IllegalStateException");
			assertThat(exception.get("exc_message")).isEqualTo(List.of("broken after step 1"));
		});
		assertThat(failure.traceback()).contains("broken after step 1");
		assertThat(failure.dateDone() != null).isEqualTo(keepsDateDone());
	}

	@Test
	void callbackThatThrowsIsStillCalledWithLaterStates() {
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		AsyncResult<String> result = send("progress.steps");
		String value = result.get(TIMEOUT, goOnStarted((update) -> {
			updates.add(update);
			if (update.state().equals(TaskState.STARTED)) {
				throw new IllegalStateException("callback broken on STARTED");
			}
			throw new AssertionError("callback broken on " + update.state());
		}));
		assertThat(value).isEqualTo("done");
		assertStepsThenSuccess(result.id(), updates);
	}

	@Test
	void finishedTaskTellsItsFinalStateOnly() {
		AsyncResult<String> result = send("progress.steps");
		this.worker.tasks.go(result.id());
		assertThat(result.get(TIMEOUT)).isEqualTo("done");
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		assertThat(result.get(TIMEOUT, updates::add)).isEqualTo("done");
		assertThat(updates).extracting(TaskResult::state).containsExactly(TaskState.SUCCESS);
		assertThat(updates.get(0).result()).isEqualTo("done");
	}

	@Test
	void storedStateThenRetryWithItsExceptionThenSuccess() {
		AsyncResult<Object> result = this.template.result(taskId());
		store(ResultMeta.of(result.id(), PROGRESS, Map.of("step", 1)));
		await().atMost(TIMEOUT).until(() -> result.state().name().equals(PROGRESS));
		List<TaskResult> updates = new CopyOnWriteArrayList<>();
		CompletableFuture<Object> done = CompletableFuture.supplyAsync(() -> result.get(TIMEOUT, updates::add));
		await().atMost(TIMEOUT).until(() -> !updates.isEmpty());
		store(ResultMeta.ofException(result.id(), CeleryStates.RETRY,
				ExceptionInfo.python("builtins", "KeyError", "attempt 0"), "Traceback: KeyError: 'attempt 0'"));
		store(ResultMeta.of(result.id(), CeleryStates.SUCCESS, 42));
		assertThat(done.join()).isEqualTo(42);
		assertThat(updates).extracting(TaskResult::state)
			.containsExactly(TaskState.of(PROGRESS), TaskState.RETRY, TaskState.SUCCESS);
		assertThat(updates.get(0).result()).isEqualTo(Map.of("step", 1));
		assertThat(updates.get(1).result()).isInstanceOfSatisfying(Map.class,
				(exception) -> assertThat(exception.get("exc_type")).isEqualTo("KeyError"));
		assertThat(updates.get(1).traceback()).contains("KeyError");
	}

	@Test
	void closedSubscriptionIsNotCalledAgain() {
		AsyncResult<Object> result = this.template.result(taskId());
		List<TaskResult> closed = new CopyOnWriteArrayList<>();
		List<TaskResult> open = new CopyOnWriteArrayList<>();
		try (UpdateSubscription subscription = result.onUpdate(open::add)) {
			UpdateSubscription closing = result.onUpdate(closed::add);
			store(ResultMeta.of(result.id(), PROGRESS, Map.of("step", 1)));
			await().atMost(TIMEOUT).until(() -> closed.size() == 1 && open.size() == 1);
			closing.close();
			closing.close();
			store(ResultMeta.of(result.id(), PROGRESS, Map.of("step", 2)));
			store(ResultMeta.of(result.id(), CeleryStates.SUCCESS, "done"));
			// a backend tells both in one pass: once the open one has SUCCESS, the closed one is past it
			await().atMost(TIMEOUT).until(() -> open.size() == 3);
		}
		assertThat(closed).extracting(TaskResult::result).containsExactly(Map.of("step", 1));
		assertThat(open).extracting(TaskResult::state)
			.containsExactly(TaskState.of(PROGRESS), TaskState.of(PROGRESS), TaskState.SUCCESS);
	}

	@Test
	void timedOutGetEndsItsSubscription() {
		AsyncResult<Object> result = this.template.result(taskId());
		List<TaskResult> timedOut = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(TaskTimeoutException.class)
			.isThrownBy(() -> result.get(Duration.ofMillis(200), timedOut::add));
		List<TaskResult> open = new CopyOnWriteArrayList<>();
		try (UpdateSubscription subscription = result.onUpdate(open::add)) {
			store(ResultMeta.of(result.id(), CeleryStates.SUCCESS, "late"));
			await().atMost(TIMEOUT).until(() -> open.size() == 1);
		}
		assertThat(timedOut).isEmpty();
	}

	@Test
	void statesStoredWhileSubscribingAreToldOnceInOrder() {
		for (int round = 0; round < 100; round++) {
			AsyncResult<Object> result = this.template.result(taskId());
			List<ResultMeta> stored = new ArrayList<>();
			for (int step = 1; step <= 20; step++) {
				stored.add(ResultMeta.of(result.id(), PROGRESS, Map.of("step", step)));
			}
			stored.add(ResultMeta.of(result.id(), CeleryStates.SUCCESS, "done"));
			List<TaskResult> updates = new CopyOnWriteArrayList<>();
			CompletableFuture<Void> storing = CompletableFuture.runAsync(() -> stored.forEach(this::store));
			try (UpdateSubscription subscription = result.onUpdate(updates::add)) {
				storing.join();
				await().atMost(TIMEOUT)
					.pollInterval(Duration.ofMillis(2))
					.until(() -> !updates.isEmpty() && updates.get(updates.size() - 1).ready());
			}
			List<Object> expected = stored.stream().map(ResultMeta::result).toList();
			List<Object> told = updates.stream().map(TaskResult::result).toList();
			assertThat(told).as("round %d", round).isNotEmpty();
			assertThat(Collections.indexOfSubList(expected, told)).as("round %d: %s", round, told)
				.isEqualTo(expected.size() - told.size());
		}
	}

	private AsyncResult<String> send(String name) {
		return this.template.task(name).id(taskId()).send(String.class);
	}

	private static String taskId() {
		return "progress-" + UUID.randomUUID();
	}

	/** Store as the worker does, to this client's reply queue when the backend has one. */
	private void store(ResultMeta meta) {
		workerBackend().store(meta, clientBackend().replyTo());
	}

	private Consumer<TaskResult> goOnStarted(Consumer<TaskResult> callback) {
		return (update) -> {
			if (update.state().equals(TaskState.STARTED)) {
				this.worker.tasks.go(update.id());
			}
			callback.accept(update);
		};
	}

	private void assertStepsThenSuccess(String taskId, List<TaskResult> updates) {
		assertThat(updates).extracting(TaskResult::state)
			.containsExactly(TaskState.STARTED, TaskState.of(PROGRESS), TaskState.of(PROGRESS), TaskState.SUCCESS);
		assertThat(updates).extracting(TaskResult::id).containsOnly(taskId);
		assertThat(updates.get(0).result()).isInstanceOfSatisfying(Map.class,
				(started) -> assertThat(started).containsKeys("pid", "hostname"));
		assertThat(updates.get(1).result()).isEqualTo(Map.of("step", 1, "of", 2));
		assertThat(updates.get(2).result()).isEqualTo(Map.of("step", 2, "of", 2));
		assertThat(updates.get(3).result()).isEqualTo("done");
		assertThat(updates.get(3).dateDone() != null).isEqualTo(keepsDateDone());
		assertThat(updates.subList(0, 3)).allSatisfy((update) -> assertThat(update.dateDone()).isNull());
	}

}
