package dev.taskqueue.core;

/**
 * Where a task's rate limit holds.
 */
public enum RateLimitScope {

	/** Each worker allows the rate by itself, as Celery's {@code rate_limit} does. */
	WORKER,

	/**
	 * All workers together allow the rate, counted in Redis (needs a Redis broker or result
	 * backend).
	 */
	CLUSTER

}
