package dev.taskqueue.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.SoftTimeLimitExceededException;
import dev.taskqueue.core.TaskContext;

/**
 * Tasks with time limits, for the time-limit tests on every broker; records what they saw.
 */
public class TimeLimitTasks {

	/** Started by {@code tl.spin}. */
	public final CountDownLatch spinning = new CountDownLatch(1);

	/** Set to let {@code tl.spin} return. */
	public volatile boolean stopSpinning;

	/** Counted when {@code tl.spin} returns. */
	public final AtomicInteger spinReturned = new AtomicInteger();

	/** Counted by every cleanup after a soft time limit. */
	public final AtomicInteger cleanups = new AtomicInteger();

	/** Counted by every run of {@code tl.autoretrySoft}. */
	public final AtomicInteger autoretryRuns = new AtomicInteger();

	/** Counted when a cleanup could block (the interrupt was cleared). */
	public final AtomicInteger blockingCleanups = new AtomicInteger();

	/**
	 * Spin until told to stop, ignoring interruption, as code stuck in a loop does.
	 * @return what the runaway returns, discarded
	 */
	@CeleryTask(name = "tl.spin", timeLimit = "0.5")
	public String spin() {
		this.spinning.countDown();
		long spins = 0;
		while (!this.stopSpinning) {
			spins++;
			Thread.onSpinWait();
		}
		this.spinReturned.incrementAndGet();
		return "spun " + spins;
	}

	/**
	 * Sleep; at the soft limit, clean up and fail.
	 * @param millis how long to sleep
	 * @param context the task's context
	 * @throws InterruptedException at the soft limit, after cleaning up
	 */
	@CeleryTask(name = "tl.nap", softTimeLimit = "0.3", timeLimit = "30")
	public void nap(long millis, TaskContext context) throws InterruptedException {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			if (context.softTimeLimitExceeded()) {
				this.cleanups.incrementAndGet();
			}
			throw ex;
		}
	}

	/**
	 * Sleep; at the soft limit, clean up and return normally.
	 * @param millis how long to sleep
	 * @param context the task's context
	 * @return what it did
	 */
	@CeleryTask(name = "tl.napThenReturn", softTimeLimit = "0.3")
	public String napThenReturn(long millis, TaskContext context) {
		try {
			Thread.sleep(millis);
			return "slept";
		}
		catch (InterruptedException ex) {
			this.cleanups.incrementAndGet();
			return context.softTimeLimitExceeded() ? "cleaned up" : "interrupted";
		}
	}

	/**
	 * Compute without blocking, checking the soft limit now and then; clean up (blocking a
	 * little) and rethrow when it passes.
	 * @param context the task's context
	 * @throws InterruptedException never: the cleanup may block
	 */
	@CeleryTask(name = "tl.crunch", softTimeLimit = "0.3", timeLimit = "30")
	public void crunch(TaskContext context) throws InterruptedException {
		try {
			while (true) {
				context.checkSoftTimeLimit();
				Thread.onSpinWait();
			}
		}
		catch (SoftTimeLimitExceededException ex) {
			this.cleanups.incrementAndGet();
			Thread.sleep(1);
			this.blockingCleanups.incrementAndGet();
			throw ex;
		}
	}

	/**
	 * Spin until the soft limit passes, ignoring the interruption, then return normally with
	 * the thread's interrupt still set.
	 * @param context the task's context
	 * @return what it did
	 */
	@CeleryTask(name = "tl.spinUntilSoft", softTimeLimit = "0.3", timeLimit = "30")
	public String spinUntilSoft(TaskContext context) {
		while (!context.softTimeLimitExceeded()) {
			Thread.onSpinWait();
		}
		return "noticed";
	}

	/**
	 * Sleep, with long limits of its own that a message's header may shorten.
	 * @param millis how long to sleep
	 * @return how long it slept
	 * @throws InterruptedException when a limit interrupts it
	 */
	@CeleryTask(name = "tl.sleepLongLimits", timeLimit = "60", softTimeLimit = "50")
	public long sleepLongLimits(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return millis;
	}

	/**
	 * Sleep, with a short hard limit and no soft one.
	 * @param millis how long to sleep
	 * @return how long it slept
	 * @throws InterruptedException when a limit interrupts it
	 */
	@CeleryTask(name = "tl.sleepShortHard", timeLimit = "0.4")
	public long sleepShortHard(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return millis;
	}

	/**
	 * Spin until the soft limit passes, then ask for a retry with the thread's interrupt still
	 * set; the retry returns at once.
	 * @param context the task's context
	 * @return what the retry did
	 */
	@CeleryTask(name = "tl.retryOnSoft", softTimeLimit = "0.3", defaultRetryDelay = "0")
	public String retryOnSoft(TaskContext context) {
		if (context.retries() > 0) {
			return "retried";
		}
		while (!context.softTimeLimitExceeded()) {
			Thread.onSpinWait();
		}
		throw context.retry(new IllegalStateException("too slow"));
	}

	/**
	 * Sleep past the soft limit every time, retrying on it automatically once.
	 * @param millis how long to sleep
	 * @throws InterruptedException at the soft limit
	 */
	@CeleryTask(name = "tl.autoretrySoft", softTimeLimit = "0.2", autoretryFor = SoftTimeLimitExceededException.class,
			maxRetries = 1, defaultRetryDelay = "0")
	public void autoretrySoft(long millis) throws InterruptedException {
		this.autoretryRuns.incrementAndGet();
		Thread.sleep(millis);
	}

	/**
	 * Sleep, with no limits of its own.
	 * @param millis how long to sleep
	 * @return how long it slept
	 * @throws InterruptedException when a limit interrupts it
	 */
	@CeleryTask(name = "tl.sleep")
	public long sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return millis;
	}

}
