package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.taskqueue.protocol.TaskMessage;

/**
 * Watches the time limits of the tasks of one worker run on a single scheduler thread,
 * started when the first task with a limit runs: a run without limits gets no guard and
 * schedules nothing. Cancelled timers leave the scheduler's queue at once.
 */
final class TimeLimitWatchdog {

	private final TaskPool pool;

	private final WorkerState state;

	private final Clock clock;

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private boolean shutdown;

	TimeLimitWatchdog(TaskPool pool, WorkerState state, Clock clock) {
		this.pool = pool;
		this.state = state;
		this.clock = clock;
	}

	/**
	 * Return the guard of a run, or {@code null} when it has no time limits.
	 * @param message the task message, whose header may set limits
	 * @param settings the task's settings
	 * @return the guard, or {@code null}
	 */
	@Nullable TimeLimitGuard guard(TaskMessage message, TaskSettings settings) {
		TimeLimits limits = TimeLimits.of(message.headers().timeLimit(), settings);
		return (limits != null) ? new TimeLimitGuard(this, message, limits) : null;
	}

	/**
	 * Run an action after a delay on the scheduler.
	 * @param action the action
	 * @param delay the delay
	 * @return the timer, or {@code null} when the worker stopped
	 */
	@Nullable ScheduledFuture<?> schedule(Runnable action, Duration delay) {
		ScheduledThreadPoolExecutor current;
		synchronized (this) {
			if (this.shutdown) {
				return null;
			}
			if (this.scheduler == null) {
				ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1,
						new CustomizableThreadFactory("taskqueue-timelimit-"));
				created.setRemoveOnCancelPolicy(true);
				this.scheduler = created;
			}
			current = this.scheduler;
		}
		try {
			return current.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/**
	 * A run passed its hard time limit and its thread is abandoned; called under the guard's
	 * lock, before {@link #runawayEnded}.
	 * @param runaway the runaway
	 * @return whether another thread takes its slot
	 */
	boolean abandoned(WorkerState.RunawayTask runaway) {
		this.state.abandoned(runaway);
		return this.pool.abandoned();
	}

	/**
	 * The thread of an abandoned run returned.
	 * @param runaway the runaway
	 */
	void runawayEnded(WorkerState.RunawayTask runaway) {
		this.state.runawayEnded(runaway);
		this.pool.runawayEnded();
	}

	Clock clock() {
		return this.clock;
	}

	/** Stop watching: timers not fired yet never fire. */
	void shutdown() {
		ScheduledThreadPoolExecutor current;
		synchronized (this) {
			this.shutdown = true;
			current = this.scheduler;
		}
		if (current != null) {
			current.shutdownNow();
		}
	}

}
