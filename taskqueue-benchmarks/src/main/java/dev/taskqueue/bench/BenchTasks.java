package dev.taskqueue.bench;

import java.util.concurrent.CountDownLatch;

import org.springframework.stereotype.Component;

import dev.taskqueue.core.CeleryTask;

/**
 * The tasks the benchmark runs: a no-op that counts its executions, and {@code add}, which
 * tells {@link TaskTimes} when it returns.
 */
@Component
public class BenchTasks {

	private final TaskTimes times;

	private volatile CountDownLatch pending = new CountDownLatch(0);

	public BenchTasks(TaskTimes times) {
		this.times = times;
	}

	@CeleryTask(name = "bench.noop", ignoreResult = true)
	public void noop() {
		this.pending.countDown();
	}

	@CeleryTask(name = "bench.add")
	public long add(long x, long y) {
		long sum = x + y;
		this.times.returned();
		return sum;
	}

	/**
	 * Expect the given number of no-op executions from now on.
	 * @param count the number of no-op executions to expect
	 */
	void expect(int count) {
		this.pending = new CountDownLatch(count);
	}

	/** Wait until the expected no-op executions happened. */
	void awaitDone() throws InterruptedException {
		this.pending.await();
	}

}
