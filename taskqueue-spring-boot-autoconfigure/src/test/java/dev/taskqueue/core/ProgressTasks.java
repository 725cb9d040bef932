package dev.taskqueue.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tasks of {@link TaskUpdatesTests} that store STARTED, then wait until the test lets them go
 * (so that a client sees every state, whenever it subscribes), then store PROGRESS states.
 */
class ProgressTasks {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	private volatile boolean released;

	@CeleryTask(name = "progress.steps", trackStarted = true)
	String steps(TaskContext context) throws InterruptedException {
		awaitGo(context.id());
		context.updateState("PROGRESS", Map.of("step", 1, "of", 2));
		context.updateState("PROGRESS", Map.of("step", 2, "of", 2));
		return "done";
	}

	@CeleryTask(name = "progress.fail", trackStarted = true)
	String fail(TaskContext context) throws InterruptedException {
		awaitGo(context.id());
		context.updateState("PROGRESS", Map.of("step", 1, "of", 2));
		throw new IllegalStateException("broken after step 1");
	}

	/**
	 * Let a task go on after STARTED.
	 * @param taskId the task id
	 */
	void go(String taskId) {
		gate(taskId).countDown();
	}

	/** Let every task go on, now and from now on. */
	void releaseAll() {
		this.released = true;
		this.gates.values().forEach(CountDownLatch::countDown);
	}

	private void awaitGo(String taskId) throws InterruptedException {
		CountDownLatch gate = gate(taskId);
		if (!this.released && !gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Task " + taskId + " was never let go: the client did not see STARTED");
		}
	}

	private CountDownLatch gate(String taskId) {
		return this.gates.computeIfAbsent(taskId, (id) -> new CountDownLatch(1));
	}

}
