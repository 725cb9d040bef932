package dev.taskqueue.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;

/**
 * The sample's tasks, named as the classic Celery examples name theirs so that a Python
 * client can call them.
 */
@Component
public class SampleTasks {

	/**
	 * Add two integers.
	 * @param x the first
	 * @param y the second
	 * @return the sum
	 */
	@CeleryTask(name = "tasks.add")
	public long add(long x, long y) {
		return x + y;
	}

	/**
	 * Multiply two integers.
	 * @param x the first
	 * @param y the second
	 * @return the product
	 */
	@CeleryTask(name = "tasks.mul")
	public long mul(long x, long y) {
		return x * y;
	}

	/**
	 * Sum a list of integers.
	 * @param numbers the numbers
	 * @return their sum
	 */
	@CeleryTask(name = "tasks.xsum")
	public long xsum(List<Long> numbers) {
		return numbers.stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Return the argument unchanged.
	 * @param x any JSON value
	 * @return the same value
	 */
	@CeleryTask(name = "tasks.identity")
	public @Nullable Object identity(@Nullable Object x) {
		return x;
	}

	/**
	 * Fail with the given message.
	 * @param message the message of the exception
	 */
	@CeleryTask(name = "tasks.fail")
	public void fail(String message) {
		throw new IllegalStateException(message);
	}

	/**
	 * Sleep for a while.
	 * @param seconds how long to sleep
	 * @return the seconds slept
	 * @throws InterruptedException when the worker stops meanwhile
	 */
	@CeleryTask(name = "tasks.sleep")
	public double sleep(double seconds) throws InterruptedException {
		Thread.sleep((long) (seconds * 1000));
		return seconds;
	}

	/**
	 * Report progress in {@code steps} steps of 0.2 seconds, storing the custom state
	 * {@code PROGRESS} with {@code {current, total}} after each.
	 * @param steps the number of steps
	 * @param context the running task's context
	 * @return the number of steps
	 * @throws InterruptedException when the worker stops meanwhile
	 */
	@CeleryTask(name = "tasks.progress")
	public int progress(int steps, TaskContext context) throws InterruptedException {
		for (int i = 1; i <= steps; i++) {
			context.updateState("PROGRESS", Map.of("current", i, "total", steps));
			Thread.sleep(200);
		}
		return steps;
	}

	/**
	 * Retry once, half a second later, then return how many times the task was retried: the
	 * smallest task that shows Celery's {@code self.retry} round trip.
	 * @param context the running task's context
	 * @return the number of retries, 1
	 */
	@CeleryTask(name = "tasks.retry_once")
	public int retryOnce(TaskContext context) {
		if (context.retries() == 0) {
			throw context.retry().countdown(Duration.ofMillis(500));
		}
		return context.retries();
	}

	/**
	 * Fail with an {@link IllegalStateException}, and retry on it by itself (Celery's
	 * {@code autoretry_for}) half a second later, until the task has been retried
	 * {@code succeedOn} times; at most 3 retries.
	 * @param succeedOn the retries after which the task succeeds
	 * @param context the running task's context
	 * @return the number of retries
	 */
	@CeleryTask(name = "tasks.flaky", autoretryFor = IllegalStateException.class, defaultRetryDelay = "0.5")
	public int flaky(int succeedOn, TaskContext context) {
		if (context.retries() < succeedOn) {
			throw new IllegalStateException("attempt " + context.retries());
		}
		return context.retries();
	}

}
