package dev.taskqueue.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.core.RateLimitScope;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Holds tasks over their rate limit until their token is due, as Celery's worker does with a
 * token bucket per task name ({@code TokenBucket(rate, capacity=1)}), then starts them: a task
 * whose token is there starts at once; the others wait in line, in order, per task name,
 * without a pool thread. The limit is read from the {@link TaskRegistry} each time a token is
 * due, so a changed rate applies to the tasks already waiting.
 * <p>
 * Waiting tasks are {@link Delivery#defer() deferred} out of the prefetch window, up to
 * {@code maxDeferred} of them, so that a backlog of one rate-limited task does not keep the
 * others from being fetched; past that they keep their slots, and fetching pauses when they
 * fill the window. A {@link RateLimitScope#CLUSTER cluster-wide} limit takes its tokens from
 * the {@link SharedTokenBuckets}, on a thread of its own so that a slow store delays no other
 * task; when the store cannot be reached the tasks keep waiting and it is asked again with a
 * backoff ({@link WaitingLine}). Stopping gives every waiting task back to the broker.
 */
final class RateLimiter {

	private static final Log logger = LogFactory.getLog(RateLimiter.class);

	/** Tokens a bucket holds at most: one, as Celery's, so a limit allows no bursts. */
	static final int CAPACITY = 1;

	private final TaskRegistry registry;

	private final @Nullable SharedTokenBuckets shared;

	private final @Nullable ExecutorService sharedCalls;

	private final ScheduledExecutorService timer;

	private final WorkerState state;

	private final Starter starter;

	private final DeferralBudget deferrals;

	private final Map<String, WaitingLine> lines = new ConcurrentHashMap<>();

	private volatile boolean stopped;

	/**
	 * Create a limiter.
	 * @param registry the tasks, read for their current limit
	 * @param shared the buckets of cluster-wide limits, or {@code null} when there are none
	 * @param timer the timer that wakes tasks when their token is due
	 * @param maxDeferred the most waiting tasks taken out of the prefetch window
	 * @param state where the worker records what it does
	 * @param starter starts a task whose token came
	 */
	RateLimiter(TaskRegistry registry, @Nullable SharedTokenBuckets shared, ScheduledExecutorService timer,
			int maxDeferred, WorkerState state, Starter starter) {
		this.registry = registry;
		this.shared = shared;
		this.sharedCalls = (shared != null)
				? Executors.newSingleThreadExecutor(new CustomizableThreadFactory("taskqueue-rate-limit-")) : null;
		this.timer = timer;
		this.deferrals = new DeferralBudget(maxDeferred);
		this.state = state;
		this.starter = starter;
	}

	/**
	 * Fail when a task has a cluster-wide rate limit and there are no shared buckets to count
	 * it in: running it at the rate on each worker instead would multiply the rate by the
	 * number of workers, which is what the scope is there to prevent.
	 * @param registry the tasks
	 * @param shared the shared buckets, or {@code null}
	 * @throws IllegalStateException when a task needs shared buckets and there are none
	 */
	static void requireSharedBucketsWhereNeeded(TaskRegistry registry, @Nullable SharedTokenBuckets shared) {
		if (shared != null) {
			return;
		}
		List<String> clusterScoped = registry.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.settings().rateLimit() != null
					&& endpoint.settings().rateLimitScope() == RateLimitScope.CLUSTER)
			.map(TaskEndpoint::name)
			.sorted()
			.toList();
		if (!clusterScoped.isEmpty()) {
			throw new IllegalStateException("Tasks " + clusterScoped + " have a rate limit with rateLimitScope "
					+ "CLUSTER, which all workers share in Redis, but this worker has no shared token buckets: use a "
					+ "Redis broker or result backend (a redis:// URL), define a SharedTokenBuckets bean, or use "
					+ "rateLimitScope WORKER");
		}
	}

	/**
	 * Take a task that is due to start: hold it when it is over its rate limit.
	 * @param delivery the delivery of the task
	 * @param message the task message
	 * @param endpoint the task
	 * @return whether the task is held, to be started by this limiter; {@code false} when it
	 * may start now
	 */
	boolean holds(Delivery delivery, TaskMessage message, TaskEndpoint endpoint) {
		if (endpoint.settings().rateLimit() == null || this.stopped) {
			return false;
		}
		WaitingLine line = this.lines.computeIfAbsent(endpoint.name(), (name) -> new WaitingLine(name, this));
		if (line.tryTakeAtOnce(endpoint)) {
			return false;
		}
		line.add(new WaitingTask(delivery, message, endpoint, this.deferrals.defer(delivery)));
		return true;
	}

	/**
	 * Stop holding tasks: every waiting task goes back to the broker.
	 */
	void stop() {
		this.stopped = true;
		if (this.sharedCalls != null) {
			this.sharedCalls.shutdownNow();
		}
		for (WaitingLine line : this.lines.values()) {
			try {
				line.giveBackAll();
			}
			catch (RuntimeException ex) {
				logger.error("Could not give the tasks waiting for a rate-limit token back to the broker", ex);
			}
		}
	}

	boolean stopped() {
		return this.stopped;
	}

	/**
	 * Return the task as the registry has it now, with its current settings.
	 * @param endpoint the task as it was when it came
	 * @return the current task
	 */
	TaskEndpoint current(TaskEndpoint endpoint) {
		TaskEndpoint current = this.registry.find(endpoint.name());
		return (current != null) ? current : endpoint;
	}

	@Nullable SharedTokenBuckets shared() {
		return this.shared;
	}

	ScheduledExecutorService timer() {
		return this.timer;
	}

	/**
	 * Run a call to the shared buckets on their thread.
	 * @param call the call
	 * @return whether the call was taken; {@code false} once the limiter stopped
	 */
	boolean onSharedThread(Runnable call) {
		try {
			Assert.state(this.sharedCalls != null, "No shared buckets");
			this.sharedCalls.execute(call);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * A waiting task's token came: start it. Anything thrown gives its message back.
	 * @param task the task
	 * @param endpoint the task as the registry has it now
	 */
	void start(WaitingTask task, TaskEndpoint endpoint) {
		release(task);
		try {
			this.starter.start(task.delivery(), task.message(), endpoint);
		}
		catch (Throwable ex) {
			logger.error("Could not start task " + task.message().id() + " after its rate limit; its message goes "
					+ "back to the broker", ex);
			this.state.failed(ex);
			task.delivery().requeue();
		}
	}

	void giveBack(WaitingTask task) {
		release(task);
		this.state.unreserved();
		task.delivery().requeue();
	}

	/**
	 * Forget a waiting task whose delivery the broker voided (it redelivers the message).
	 * @param task the task
	 */
	void drop(WaitingTask task) {
		release(task);
		this.state.unreserved();
		logger.info("Task " + task.message().id() + " not run: the broker gave its message back and redelivers it");
	}

	void failed(Throwable failure) {
		this.state.failed(failure);
	}
	private void release(WaitingTask task) {
		this.deferrals.resume(task.delivery(), task.outsideWindow());
	}

	/** Starts a task whose token came. */
	@FunctionalInterface
	interface Starter {

		void start(Delivery delivery, TaskMessage message, TaskEndpoint endpoint);

	}

}
