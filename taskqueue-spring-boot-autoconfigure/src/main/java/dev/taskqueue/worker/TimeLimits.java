package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.SoftTimeLimitExceededException;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TimeLimit;

/**
 * The time limits of one run of a task. Each element of the message's {@code timelimit}
 * header wins over the task's own limit; an element that is absent or not positive falls back
 * to it, as Celery's {@code time_limit or task.time_limit} does.
 *
 * @param hard the hard time limit, or {@code null}
 * @param soft the soft time limit, or {@code null}
 */
record TimeLimits(@Nullable Duration hard, @Nullable Duration soft) {

	/** Where Celery's time-limit exceptions live (re-exported by {@code celery.exceptions}). */
	static final String MODULE = "billiard.exceptions";

	/**
	 * Return the limits of a run.
	 * @param header the message's {@code timelimit} header
	 * @param settings the task's settings
	 * @return the limits, or {@code null} when the run has none
	 */
	static @Nullable TimeLimits of(TimeLimit header, TaskSettings settings) {
		Duration hard = duration(header.hard());
		Duration soft = duration(header.soft());
		if (hard == null) {
			hard = settings.timeLimit();
		}
		if (soft == null) {
			soft = settings.softTimeLimit();
		}
		return (hard != null || soft != null) ? new TimeLimits(hard, soft) : null;
	}

	/**
	 * Return whether the soft limit can pass before the hard one.
	 * @return whether the soft limit is worth watching
	 */
	boolean softFirst() {
		return this.soft != null && (this.hard == null || this.soft.compareTo(this.hard) < 0);
	}

	/**
	 * Celery's failure for a run stopped at its hard limit.
	 * @return {@code TimeLimitExceeded(<hard seconds>)}
	 */
	ExceptionInfo timeLimitExceeded() {
		return new ExceptionInfo("TimeLimitExceeded", List.of(seconds(this.hard)), MODULE);
	}

	/**
	 * Describe what a task threw, as Celery's {@code SoftTimeLimitExceeded(<soft seconds>)}
	 * when it ended because its soft limit passed.
	 * @param failure what the task threw
	 * @return its description
	 */
	static ExceptionInfo describe(Throwable failure) {
		if (failure instanceof SoftTimeLimitExceededException exceeded) {
			return new ExceptionInfo("SoftTimeLimitExceeded", List.of(seconds(exceeded.getSoftTimeLimit())), MODULE);
		}
		return ExceptionInfo.of(failure);
	}

	/**
	 * Return a limit in seconds as Celery writes it: whole seconds as an integer.
	 * @param limit the limit
	 * @return the seconds
	 */
	static Number seconds(@Nullable Duration limit) {
		if (limit == null) {
			return 0;
		}
		if (limit.getNano() == 0) {
			long seconds = limit.getSeconds();
			return (seconds == (int) seconds) ? (Number) (int) seconds : (Number) seconds;
		}
		return limit.getSeconds() + limit.getNano() / 1e9;
	}

	private static @Nullable Duration duration(@Nullable Double seconds) {
		if (seconds == null || !(seconds > 0)) {
			return null;
		}
		// Saturates at about 292 years for larger values, which the scheduler accepts.
		return Duration.ofNanos(Math.round(seconds * 1e9));
	}

}
