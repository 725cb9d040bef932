package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * How a task retries, with Celery's attribute names and defaults.
 *
 * @param maxRetries the most retries (Celery's {@code max_retries}), {@code -1} for no limit
 * @param defaultRetryDelay the wait of a retry that names no countdown or ETA
 * ({@code default_retry_delay})
 * @param autoretryFor exceptions on which the task retries by itself ({@code autoretry_for})
 * @param dontAutoretryFor exceptions excluded from those ({@code dont_autoretry_for})
 * @param backoffFactor seconds of the first automatic retry's exponential backoff, 0 for none
 * ({@code retry_backoff})
 * @param backoffMax the longest backoff ({@code retry_backoff_max})
 * @param jitter whether a backoff is replaced by a random delay up to itself
 * ({@code retry_jitter})
 */
public record RetryPolicy(int maxRetries, Duration defaultRetryDelay, List<Class<? extends Throwable>> autoretryFor,
		List<Class<? extends Throwable>> dontAutoretryFor, int backoffFactor, Duration backoffMax, boolean jitter) {

	/** Celery's defaults: 3 retries, 180 s apart, no automatic retry. */
	public static final RetryPolicy DEFAULTS = new RetryPolicy(3, Duration.ofSeconds(180), List.of(), List.of(), 0,
			Duration.ofSeconds(600), true);

	public RetryPolicy {
		Assert.isTrue(maxRetries >= -1, "'maxRetries' must be -1 (no limit) or more");
		Assert.isTrue(!defaultRetryDelay.isNegative(), "'defaultRetryDelay' must not be negative");
		Assert.isTrue(backoffFactor >= 0, "'backoffFactor' must not be negative");
		Assert.isTrue(!backoffMax.isNegative(), "'backoffMax' must not be negative");
		autoretryFor = List.copyOf(autoretryFor);
		dontAutoretryFor = List.copyOf(dontAutoretryFor);
	}

	/**
	 * Whether the task retries by itself on an exception.
	 * @param failure what the task threw
	 * @return whether it is one of {@link #autoretryFor()} and none of {@link #dontAutoretryFor()}
	 */
	public boolean autoretries(Throwable failure) {
		return isAny(failure, this.autoretryFor) && !isAny(failure, this.dontAutoretryFor);
	}

	private static boolean isAny(Throwable failure, List<Class<? extends Throwable>> types) {
		for (Class<? extends Throwable> type : types) {
			if (type.isInstance(failure)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The countdown of an automatic retry, as Celery's {@code get_exponential_backoff_interval}:
	 * {@code min(backoffMax, factor * 2^retries)} whole seconds, then a random whole number of
	 * seconds from 0 to that with jitter.
	 * @param retries how many times the task was retried before this run
	 * @param random the source of jitter
	 * @return the countdown, or {@code null} without backoff (the retry waits
	 * {@link #defaultRetryDelay()})
	 */
	public @Nullable Duration backoff(int retries, RandomGenerator random) {
		if (this.backoffFactor == 0) {
			return null;
		}
		long max = this.backoffMax.toSeconds();
		long countdown = (retries >= 31) ? max : Math.min(max, this.backoffFactor * (1L << retries));
		if (this.jitter) {
			countdown = random.nextLong(countdown + 1);
		}
		return Duration.ofSeconds(Math.max(0, countdown));
	}

	/**
	 * Whether a retry would exceed the most retries.
	 * @param retries the retry count of the task's next run
	 * @param maxRetries the most retries the retry asked for, or {@code null} for
	 * {@link #maxRetries()}
	 * @return whether no retry is left
	 */
	public boolean exceeded(int retries, @Nullable Integer maxRetries) {
		int max = (maxRetries != null) ? maxRetries : this.maxRetries;
		return max >= 0 && retries > max;
	}

}
