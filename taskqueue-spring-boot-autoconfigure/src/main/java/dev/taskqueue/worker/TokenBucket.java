package dev.taskqueue.worker;

/**
 * One worker's token bucket of one task, as kombu's {@code TokenBucket(rate, capacity=1)}
 * that Celery's worker keeps per task name: full at first, it holds at most one token and
 * fills at the task's rate, so a task starts at once after a pause and then no sooner than
 * the interval after the one before. The rate is passed on each take, so a changed rate
 * applies from then on. Not thread-safe: callers hold the lock of the task's waiting line.
 */
final class TokenBucket {

	private static final double CAPACITY = 1;

	private static final double NANOS_PER_SECOND = 1_000_000_000d;

	private double tokens = CAPACITY;

	private long countedAt;

	/**
	 * Create a full bucket.
	 * @param now the current {@link System#nanoTime()}
	 */
	TokenBucket(long now) {
		this.countedAt = now;
	}

	/**
	 * Take a token, or say how long until one is there.
	 * @param tokensPerSecond how fast the bucket fills
	 * @param now the current {@link System#nanoTime()}
	 * @return zero when a token was taken, otherwise the nanoseconds until one is due
	 */
	long take(double tokensPerSecond, long now) {
		long elapsed = now - this.countedAt;
		if (elapsed > 0) {
			this.tokens = Math.min(CAPACITY, this.tokens + elapsed * tokensPerSecond / NANOS_PER_SECOND);
			this.countedAt = now;
		}
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return 0;
		}
		return Math.max(1, (long) Math.ceil((1 - this.tokens) / tokensPerSecond * NANOS_PER_SECOND));
	}

}
