package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;

/**
 * Tasks that retry, for the retry tests; each records when each of its runs started, by task id.
 */
public class RetryTasks {

	final Map<String, List<Instant>> runs = new ConcurrentHashMap<>();

	/**
	 * Return the start times of the runs of a task.
	 * @param taskId the task id
	 * @return the start times, in order
	 */
	public List<Instant> runsOf(String taskId) {
		return this.runs.getOrDefault(taskId, List.of());
	}

	private void record(TaskContext context) {
		this.runs.computeIfAbsent(context.id(), (id) -> new CopyOnWriteArrayList<>()).add(Instant.now());
	}

	@CeleryTask(name = "r.retry_once")
	public int retryOnce(TaskContext context) {
		record(context);
		if (context.retries() == 0) {
			throw context.retry().countdown(Duration.ofMillis(400));
		}
		return context.retries();
	}

	@CeleryTask(name = "r.always_fails", autoretryFor = IllegalStateException.class, maxRetries = 2,
			retryBackoff = 1, retryJitter = false)
	public void alwaysFails(TaskContext context) {
		record(context);
		throw new IllegalStateException("attempt " + context.retries());
	}

	@CeleryTask(name = "r.retry_without_exception", maxRetries = 1)
	public void retryWithoutException(TaskContext context) {
		record(context);
		throw context.retry().countdown(Duration.ofMillis(10));
	}

	@CeleryTask(name = "r.retry_with_exception", maxRetries = 5)
	public void retryWithException(TaskContext context) {
		record(context);
		throw context.retry(new IllegalArgumentException("bad input " + context.retries()))
			.countdown(Duration.ofMillis(10))
			.maxRetries(1);
	}

	@CeleryTask(name = "r.not_autoretried", autoretryFor = RuntimeException.class,
			dontAutoretryFor = IllegalArgumentException.class, defaultRetryDelay = "10ms")
	public void notAutoretried(TaskContext context) {
		record(context);
		throw new IllegalArgumentException("not retried");
	}

	@CeleryTask(name = "r.autoretried_at_default_delay", autoretryFor = RuntimeException.class,
			defaultRetryDelay = "0.2", maxRetries = 1)
	public int autoretriedAtDefaultDelay(TaskContext context) {
		record(context);
		if (context.retries() == 0) {
			throw new UnsupportedOperationException("first run");
		}
		return context.retries();
	}

}
