package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.RateLimitScope;

/**
 * Task options as one source declares them: a {@code @CeleryTask} annotation, a
 * {@code taskqueue.tasks.*} override, or the {@code taskqueue.task.*} defaults. {@code null}
 * means "not set here". {@link #overriddenBy} layers sources; {@link #resolve} fills what no
 * source set with {@link TaskSettings#DEFAULTS}.
 *
 * @param queue the queue the task is sent to by default
 * @param ignoreResult whether the result is not stored
 * @param trackStarted whether STARTED is stored
 * @param acksLate whether the message is acknowledged after the task finished
 * @param rejectOnWorkerLost whether a task whose worker died runs again
 * @param maxRetries the most retries, {@code -1} for no limit
 * @param defaultRetryDelay the wait of a retry that names none
 * @param autoretryFor exceptions on which the task retries by itself
 * @param dontAutoretryFor exceptions excluded from those
 * @param retryBackoff seconds of the first automatic retry's backoff, 0 for none
 * @param retryBackoffMax the longest backoff
 * @param retryJitter whether backoffs are jittered
 * @param timeLimit the hard time limit
 * @param softTimeLimit the soft time limit
 * @param rateLimit how often the task may start
 * @param rateLimitScope where the rate limit holds
 */
public record DeclaredTaskOptions(@Nullable String queue, @Nullable Boolean ignoreResult, @Nullable Boolean trackStarted,
		@Nullable Boolean acksLate, @Nullable Boolean rejectOnWorkerLost, @Nullable Integer maxRetries,
		@Nullable Duration defaultRetryDelay, @Nullable List<Class<? extends Throwable>> autoretryFor,
		@Nullable List<Class<? extends Throwable>> dontAutoretryFor, @Nullable Integer retryBackoff,
		@Nullable Duration retryBackoffMax, @Nullable Boolean retryJitter, @Nullable Duration timeLimit,
		@Nullable Duration softTimeLimit, @Nullable RateLimit rateLimit, @Nullable RateLimitScope rateLimitScope) {

	/** Nothing set. */
	public static final DeclaredTaskOptions NONE = new DeclaredTaskOptions(null, null, null, null, null, null, null, null, null, null,
			null, null, null, null, null, null);

	/**
	 * Return these options with those the other source sets replacing them.
	 * @param other the options that win
	 * @return the layered options
	 */
	public DeclaredTaskOptions overriddenBy(DeclaredTaskOptions other) {
		return new DeclaredTaskOptions(or(other.queue, this.queue), or(other.ignoreResult, this.ignoreResult),
				or(other.trackStarted, this.trackStarted), or(other.acksLate, this.acksLate),
				or(other.rejectOnWorkerLost, this.rejectOnWorkerLost), or(other.maxRetries, this.maxRetries),
				or(other.defaultRetryDelay, this.defaultRetryDelay), or(other.autoretryFor, this.autoretryFor),
				or(other.dontAutoretryFor, this.dontAutoretryFor), or(other.retryBackoff, this.retryBackoff),
				or(other.retryBackoffMax, this.retryBackoffMax), or(other.retryJitter, this.retryJitter),
				or(other.timeLimit, this.timeLimit), or(other.softTimeLimit, this.softTimeLimit),
				or(other.rateLimit, this.rateLimit), or(other.rateLimitScope, this.rateLimitScope));
	}

	/**
	 * Return the settings these options make, with {@link TaskSettings#DEFAULTS} for what they
	 * leave unset.
	 * @return the settings
	 */
	public TaskSettings resolve() {
		TaskSettings defaults = TaskSettings.DEFAULTS;
		RetryPolicy retry = defaults.retry();
		return new TaskSettings(or(this.ignoreResult, defaults.ignoreResult()),
				or(this.trackStarted, defaults.trackStarted()), or(this.acksLate, defaults.acksLate()),
				or(this.rejectOnWorkerLost, defaults.rejectOnWorkerLost()),
				new RetryPolicy(or(this.maxRetries, retry.maxRetries()),
						or(this.defaultRetryDelay, retry.defaultRetryDelay()),
						or(this.autoretryFor, retry.autoretryFor()), or(this.dontAutoretryFor, retry.dontAutoretryFor()),
						or(this.retryBackoff, retry.backoffFactor()), or(this.retryBackoffMax, retry.backoffMax()),
						or(this.retryJitter, retry.jitter())),
				limit(or(this.timeLimit, defaults.timeLimit())),
				limit(or(this.softTimeLimit, defaults.softTimeLimit())),
				(this.rateLimit != RateLimit.UNLIMITED) ? or(this.rateLimit, defaults.rateLimit()) : null,
				or(this.rateLimitScope, defaults.rateLimitScope()));
	}

	/**
	 * A time limit, none when zero: a zero override lifts a limit set elsewhere.
	 * @param limit the limit
	 * @return the limit, or {@code null}
	 */
	private static @Nullable Duration limit(@Nullable Duration limit) {
		return (limit != null && !limit.isZero()) ? limit : null;
	}

	private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
		return (value != null) ? value : fallback;
	}

}
