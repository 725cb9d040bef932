package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.core.RateLimitScope;

/**
 * The tasks of one name waiting for a rate-limit token, in the order they came, and the
 * worker's token bucket of that name. At most one pump runs per line at a time: it starts
 * waiting tasks while tokens come and otherwise sets the timer for when the next one is due,
 * as Celery's {@code _schedule_bucket_request} does. A cluster-wide limit is asked of the
 * shared buckets on the limiter's thread for them; when they cannot be reached the line asks
 * again after a backoff that doubles up to {@link #MAX_BACKOFF}, logging the outage.
 */
final class WaitingLine {

	private static final Log logger = LogFactory.getLog(WaitingLine.class);

	static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	/** Failures in a row after which an outage is logged at WARN again (about a minute). */
	private static final int WARN_EVERY = 12;

	private final String task;

	private final RateLimiter limiter;

	private final Deque<WaitingTask> waiting = new ArrayDeque<>();

	private final TokenBucket bucket = new TokenBucket(System.nanoTime());

	private boolean pumping;

	private int failures;

	private volatile boolean warnedOfNoSharedBuckets;

	WaitingLine(String task, RateLimiter limiter) {
		this.task = task;
		this.limiter = limiter;
	}

	/**
	 * Take this worker's token now, when the task is limited on this worker alone and no task
	 * waits before it.
	 * @param endpoint the task
	 * @return whether the token was taken and the task may start
	 */
	synchronized boolean tryTakeAtOnce(TaskEndpoint endpoint) {
		RateLimit rate = endpoint.settings().rateLimit();
		if (rate == null) {
			return true;
		}
		if (this.pumping || !this.waiting.isEmpty() || sharedFor(endpoint) != null) {
			return false;
		}
		return this.bucket.take(perSecond(rate), System.nanoTime()) == 0;
	}

	void add(WaitingTask task) {
		boolean pump;
		synchronized (this) {
			this.waiting.add(task);
			pump = !this.pumping;
			this.pumping = true;
		}
		if (this.limiter.stopped()) {
			giveBackAll();
		}
		else if (pump) {
			pump(false);
		}
	}

	/**
	 * Start waiting tasks while tokens come, then set the timer. The boundary of the timer and
	 * the shared buckets' thread: a failure is logged and the line tries again later.
	 * @param onSharedThread whether this runs on the thread for the shared buckets
	 */
	private void pump(boolean onSharedThread) {
		try {
			startWhileTokensCome(onSharedThread);
		}
		catch (Throwable ex) {
			logger.error("Rate limiting of task " + this.task + " failed; trying again in " + MAX_BACKOFF.toSeconds()
					+ " s", ex);
			this.limiter.failed(ex);
			wakeAfter(MAX_BACKOFF.toNanos());
		}
	}

	private void startWhileTokensCome(boolean onSharedThread) {
		while (!this.limiter.stopped()) {
			WaitingTask head;
			synchronized (this) {
				head = this.waiting.peek();
				if (head == null) {
					this.pumping = false;
					return;
				}
			}
			if (!head.delivery().valid()) {
				if (remove(head)) {
					this.limiter.drop(head);
				}
				continue;
			}
			TaskEndpoint endpoint = this.limiter.current(head.endpoint());
			RateLimit rate = endpoint.settings().rateLimit();
			SharedTokenBuckets shared = sharedFor(endpoint);
			long wait;
			if (rate == null) {
				wait = 0;
			}
			else if (shared != null) {
				if (!onSharedThread) {
					if (!this.limiter.onSharedThread(() -> pump(true))) {
						giveBackAll();
					}
					return;
				}
				wait = takeShared(shared, rate);
			}
			else {
				synchronized (this) {
					wait = this.bucket.take(perSecond(rate), System.nanoTime());
				}
			}
			if (wait > 0) {
				wakeAfter(wait);
				return;
			}
			if (remove(head)) {
				this.limiter.start(head, endpoint);
			}
		}
	}

	private long takeShared(SharedTokenBuckets shared, RateLimit rate) {
		try {
			long wait = shared.take(this.task, perSecond(rate), RateLimiter.CAPACITY).toNanos();
			if (this.failures > 0) {
				logger.info("Rate limit tokens of task " + this.task + " come from " + shared.url() + " again after "
						+ this.failures + " failed attempt(s)");
				this.failures = 0;
			}
			return wait;
		}
		catch (RuntimeException ex) {
			if (this.limiter.stopped()) {
				// interrupted by the stop, which gives the waiting tasks back
				return MAX_BACKOFF.toNanos();
			}
			this.failures++;
			long backoff = Math.min(MAX_BACKOFF.toNanos(), MIN_BACKOFF.toNanos() << Math.min(this.failures - 1, 16));
			String message = "No rate limit token for task " + this.task + " (" + ex.getMessage() + "); " + size()
					+ " task(s) stay held, asking " + shared.url() + " again in "
					+ TimeUnit.NANOSECONDS.toMillis(backoff) + " ms";
			if (this.failures == 1 || this.failures % WARN_EVERY == 0) {
				logger.warn(message);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(message);
			}
			return backoff;
		}
	}

	private @Nullable SharedTokenBuckets sharedFor(TaskEndpoint endpoint) {
		if (endpoint.settings().rateLimitScope() != RateLimitScope.CLUSTER) {
			return null;
		}
		SharedTokenBuckets shared = this.limiter.shared();
		if (shared == null && !this.warnedOfNoSharedBuckets) {
			this.warnedOfNoSharedBuckets = true;
			logger.warn("Task " + this.task + " has a cluster-wide rate limit but this worker has no shared token "
					+ "buckets; it holds the limit on this worker alone");
		}
		return shared;
	}

	private void wakeAfter(long nanos) {
		try {
			this.limiter.timer().schedule(() -> pump(false), nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			giveBackAll();
		}
	}

	private synchronized boolean remove(WaitingTask head) {
		if (this.waiting.peek() != head) {
			return false;
		}
		this.waiting.poll();
		return true;
	}

	private synchronized int size() {
		return this.waiting.size();
	}

	/**
	 * Give every waiting task back to the broker, as the worker stops.
	 */
	void giveBackAll() {
		List<WaitingTask> all;
		synchronized (this) {
			all = new ArrayList<>(this.waiting);
			this.waiting.clear();
		}
		for (WaitingTask task : all) {
			try {
				this.limiter.giveBack(task);
			}
			catch (RuntimeException ex) {
				// one message the broker does not take back must not keep the others
				logger.error("Could not give task " + task.message().id() + " back to the broker", ex);
			}
		}
	}

	private static double perSecond(RateLimit rate) {
		return rate.tasks() * 1_000_000_000d / rate.period().toNanos();
	}

}
