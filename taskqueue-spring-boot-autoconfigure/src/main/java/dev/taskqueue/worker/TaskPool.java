package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The worker's pool: {@code concurrency} threads taking tasks from an unbounded queue, plus
 * one thread for each runaway, a task abandoned at its hard time limit whose thread has not
 * returned yet, so that the runaway's slot goes to the next task. A JVM cannot kill a thread,
 * so the pool grows by at most {@code concurrency} threads: past that many runaways, the
 * slots they hold stay taken until they return (and the worker's stall check reports the
 * waiting tasks).
 */
final class TaskPool extends ThreadPoolExecutor {

	private int concurrency;

	private final Object monitor = new Object();

	/** Tasks between {@link #beforeExecute} and {@link #afterExecute}, runaways included. */
	private int executing;

	private int runaways;

	TaskPool(int concurrency, ThreadFactory threadFactory) {
		super(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
		this.concurrency = concurrency;
	}

	/**
	 * A task's thread was abandoned at its hard time limit: another thread takes its slot,
	 * unless the pool has grown by {@code concurrency} threads already.
	 * @return whether another thread takes the slot
	 */
	boolean abandoned() {
		synchronized (this.monitor) {
			this.runaways++;
			resize();
			this.monitor.notifyAll();
			return this.runaways <= this.concurrency;
		}
	}

	/** An abandoned thread returned: the pool shrinks back once a thread is idle. */
	void runawayEnded() {
		synchronized (this.monitor) {
			this.runaways--;
			resize();
		}
	}

	/**
	 * Run a different number of tasks at once from now on, as Celery's {@code pool_grow},
	 * {@code pool_shrink} and {@code autoscale} commands do: running tasks go on, and idle
	 * threads past the new size end.
	 * @param concurrency the number of tasks run at once
	 */
	void setConcurrency(int concurrency) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("'concurrency' must be positive");
		}
		synchronized (this.monitor) {
			this.concurrency = concurrency;
			resize();
		}
	}

	/**
	 * Return the number of tasks run at once.
	 * @return the concurrency
	 */
	int concurrency() {
		synchronized (this.monitor) {
			return this.concurrency;
		}
	}

	private void resize() {
		int size = this.concurrency + Math.min(Math.max(this.runaways, 0), this.concurrency);
		if (size > getMaximumPoolSize()) {
			setMaximumPoolSize(size);
			setCorePoolSize(size);
		}
		else if (size < getMaximumPoolSize()) {
			setCorePoolSize(size);
			setMaximumPoolSize(size);
		}
	}

	/**
	 * Wait until no task runs or waits, except runaways, which nothing can stop.
	 * @param timeout how long to wait at most
	 * @return whether only runaways, if any, are left
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean awaitTasks(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (this.executing > this.runaways || !getQueue().isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				// Polls too: a queue emptied by shutdownNow() signals nothing.
				TimeUnit.NANOSECONDS.timedWait(this.monitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
			}
			return true;
		}
	}

	/**
	 * Return the number of abandoned threads that have not returned.
	 * @return the number of runaways
	 */
	int runaways() {
		synchronized (this.monitor) {
			return this.runaways;
		}
	}

	@Override
	protected void beforeExecute(Thread thread, Runnable task) {
		synchronized (this.monitor) {
			this.executing++;
		}
	}

	@Override
	protected void afterExecute(Runnable task, @Nullable Throwable failure) {
		synchronized (this.monitor) {
			this.executing--;
			this.monitor.notifyAll();
		}
	}

}
