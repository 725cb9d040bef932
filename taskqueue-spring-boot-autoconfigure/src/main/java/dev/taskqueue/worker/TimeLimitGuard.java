package dev.taskqueue.worker;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.SoftTimeLimitExceededException;
import dev.taskqueue.core.TaskRetry;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Enforces the time limits of one run of a task, as far as a JVM can. At the soft limit the
 * task's thread is interrupted and the task may see it through its {@code TaskContext}. At
 * the hard limit the run is taken from the task: the thread is interrupted and abandoned
 * (another thread takes its slot), and the task's FAILURE is stored and its message settled
 * by the action given to {@link #start}. Whatever the abandoned task later returns or throws
 * is discarded.
 */
final class TimeLimitGuard {

	private static final Log logger = LogFactory.getLog(TimeLimitGuard.class);

	/** How deep a chain of causes is searched for the interruption. */
	private static final int MAX_CAUSES = 32;

	private final TimeLimitWatchdog watchdog;

	private final TaskMessage message;

	private final TimeLimits limits;

	private Phase phase = Phase.NEW;

	private volatile @Nullable Thread thread;

	private @Nullable Instant started;

	private @Nullable ScheduledFuture<?> softTimer;

	private @Nullable ScheduledFuture<?> hardTimer;

	private @Nullable Runnable onHardLimit;

	private WorkerState.@Nullable RunawayTask runaway;

	private volatile boolean softExceeded;

	private boolean interrupted;

	TimeLimitGuard(TimeLimitWatchdog watchdog, TaskMessage message, TimeLimits limits) {
		this.watchdog = watchdog;
		this.message = message;
		this.limits = limits;
	}

	/**
	 * Start the clocks, for the task about to run on the current thread.
	 * @param onHardLimit stores the task's FAILURE and settles its message when the hard limit
	 * passes; runs on the watchdog's thread
	 */
	synchronized void start(Runnable onHardLimit) {
		this.thread = Thread.currentThread();
		this.started = this.watchdog.clock().instant();
		this.onHardLimit = onHardLimit;
		this.phase = Phase.RUNNING;
		Duration hard = this.limits.hard();
		if (this.limits.softFirst()) {
			this.softTimer = this.watchdog.schedule(this::softLimitPassed, softLimit());
		}
		if (hard != null) {
			this.hardTimer = this.watchdog.schedule(this::hardLimitPassed, hard);
		}
	}

	private void softLimitPassed() {
		synchronized (this) {
			if (this.phase != Phase.RUNNING) {
				return;
			}
			this.softExceeded = true;
			interrupt();
		}
		logger.warn("Soft time limit (" + TimeLimits.seconds(this.limits.soft()) + "s) exceeded for " + describe()
				+ "; its thread is interrupted");
	}

	private void hardLimitPassed() {
		Runnable settle;
		boolean replaced;
		synchronized (this) {
			if (this.phase != Phase.RUNNING) {
				return;
			}
			this.phase = Phase.ABANDONED;
			settle = this.onHardLimit;
			replaced = abandon();
		}
		logger.error("Hard time limit (" + TimeLimits.seconds(this.limits.hard()) + "s) exceeded for " + describe()
				+ "; its thread is interrupted and abandoned, " + (replaced ? "another takes its slot"
						: "and its slot stays taken until it returns: the pool has grown by its concurrency already"));
		try {
			if (settle != null) {
				settle.run();
			}
		}
		catch (Throwable ex) {
			logger.error("Could not record the time limit of " + describe(), ex);
		}
	}

	/**
	 * Interrupt the task's thread and hand it to the watchdog as a runaway. Whatever fails here
	 * must not keep the task's message from being settled, which the timer would swallow.
	 * @return whether another thread takes the slot
	 */
	private boolean abandon() {
		try {
			interrupt();
			Thread running = this.thread;
			Instant now = this.watchdog.clock().instant();
			this.runaway = new WorkerState.RunawayTask(this.message.id(), this.message.task(),
					(running != null) ? running.getName() : "", (this.started != null) ? this.started : now, now);
			return this.watchdog.abandoned(this.runaway);
		}
		catch (Throwable ex) {
			logger.error("Could not abandon the thread of " + describe(), ex);
			return false;
		}
	}

	private void interrupt() {
		Thread running = this.thread;
		if (running != null) {
			this.interrupted = true;
			running.interrupt();
		}
	}

	/**
	 * The task returned or threw: stop the clocks, and clear the interrupt this guard set.
	 * @return whether the outcome is the task's; {@code false} when the hard limit took it,
	 * and the outcome is discarded
	 */
	synchronized boolean finish() {
		cancel(this.softTimer);
		cancel(this.hardTimer);
		if (this.phase == Phase.ABANDONED) {
			this.phase = Phase.FINISHED;
			WorkerState.RunawayTask ended = this.runaway;
			if (ended != null) {
				this.watchdog.runawayEnded(ended);
			}
			logger.warn("Abandoned " + describe() + " returned after its hard time limit; what it returned or threw "
					+ "is discarded");
			Thread.interrupted();
			return false;
		}
		this.phase = Phase.FINISHED;
		if (this.interrupted) {
			Thread.interrupted();
		}
		return true;
	}

	private static void cancel(@Nullable ScheduledFuture<?> timer) {
		if (timer != null) {
			timer.cancel(false);
		}
	}

	/**
	 * Return whether the soft time limit has passed.
	 * @return whether the soft limit passed
	 */
	boolean softTimeLimitExceeded() {
		return this.softExceeded;
	}

	/**
	 * Throw when the soft time limit has passed, clearing the interrupt of the task's thread.
	 * @throws SoftTimeLimitExceededException when it has
	 */
	void checkSoftTimeLimit() {
		if (this.softExceeded) {
			if (Thread.currentThread() == this.thread) {
				Thread.interrupted();
			}
			throw new SoftTimeLimitExceededException(softLimit(), null);
		}
	}

	/**
	 * Return what the task threw, or a {@link SoftTimeLimitExceededException} when it threw
	 * because the soft limit interrupted it (a retry it asks for stays a retry).
	 * @param failure what the task threw
	 * @return the failure to record
	 */
	Throwable translate(Throwable failure) {
		if (!this.softExceeded || failure instanceof SoftTimeLimitExceededException || failure instanceof TaskRetry) {
			return failure;
		}
		return isInterruption(failure) ? new SoftTimeLimitExceededException(softLimit(), failure) : failure;
	}

	/**
	 * Whether a failure, or one of its first causes, is what an interrupt makes blocking code
	 * throw (a cycle of causes ends the search).
	 * @param failure what a task threw
	 * @return whether it comes from an interrupt
	 */
	static boolean isInterruption(Throwable failure) {
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
			if (cause instanceof InterruptedException || cause instanceof InterruptedIOException
					|| cause instanceof ClosedByInterruptException || cause instanceof SoftTimeLimitExceededException) {
				return true;
			}
		}
		return false;
	}

	private Duration softLimit() {
		Duration soft = this.limits.soft();
		return (soft != null) ? soft : Duration.ZERO;
	}

	TimeLimits limits() {
		return this.limits;
	}

	private String describe() {
		return this.message.task() + "[" + this.message.id() + "]";
	}

	private enum Phase {

		NEW, RUNNING, ABANDONED, FINISHED

	}

}
