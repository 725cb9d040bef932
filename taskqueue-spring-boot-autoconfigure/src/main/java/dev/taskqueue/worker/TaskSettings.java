package dev.taskqueue.worker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.core.RateLimitScope;

/**
 * How the worker runs one task, resolved from its {@code @CeleryTask} attributes, the
 * {@code taskqueue.tasks.*} overrides and the {@code taskqueue.task.*} defaults.
 *
 * @param ignoreResult whether the result is not stored ({@code ignore_result})
 * @param trackStarted whether STARTED is stored when the task begins ({@code track_started})
 * @param acksLate whether the message is acknowledged after the task finished
 * ({@code acks_late})
 * @param rejectOnWorkerLost whether a task whose worker died while running it runs again
 * ({@code reject_on_worker_lost})
 * @param retry how the task retries
 * @param timeLimit the hard time limit, or {@code null} for none ({@code time_limit})
 * @param softTimeLimit the soft time limit, or {@code null} for none ({@code soft_time_limit})
 * @param rateLimit how often the task may start, or {@code null} for no limit
 * ({@code rate_limit})
 * @param rateLimitScope whether the rate limit holds per worker or across workers
 */
public record TaskSettings(boolean ignoreResult, boolean trackStarted, boolean acksLate, boolean rejectOnWorkerLost,
		RetryPolicy retry, @Nullable Duration timeLimit, @Nullable Duration softTimeLimit,
		@Nullable RateLimit rateLimit, RateLimitScope rateLimitScope) {

	/**
	 * The defaults: Celery's, except that tasks acknowledge late and run again when their
	 * worker died (a delivery limit stops poison messages from looping).
	 */
	public static final TaskSettings DEFAULTS = new TaskSettings(false, false, true, true, RetryPolicy.DEFAULTS, null,
			null, null, RateLimitScope.WORKER);

	public TaskSettings {
		Assert.notNull(retry, "'retry' must not be null");
		Assert.notNull(rateLimitScope, "'rateLimitScope' must not be null");
		Assert.isTrue(timeLimit == null || positive(timeLimit), "'timeLimit' must be positive");
		Assert.isTrue(softTimeLimit == null || positive(softTimeLimit), "'softTimeLimit' must be positive");
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
