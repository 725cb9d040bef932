package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.springframework.util.Assert;

/**
 * How a worker runs.
 *
 * @param hostname the node name, such as {@code celery@host}
 * @param queues the queues consumed, in order
 * @param concurrency the number of tasks run at once
 * @param prefetchMultiplier messages reserved per concurrent task
 * @param shutdownTimeout how long running tasks may take to finish when the worker stops
 * @param resultExtended whether results carry Celery's extended fields
 * @param acksLate whether all tasks acknowledge after they ran, whatever their annotation says
 * @param maxHeldEta the most tasks held for their ETA outside the prefetch window
 * @param stallTimeout how long tasks may wait for a pool thread while none starts or finishes
 * before the worker counts as wedged
 * @param maxDeliveries the most times a message may be delivered
 * ({@link dev.taskqueue.broker.Delivery#deliveryCount()}); one delivered more often goes to
 * the dead-letter place with FAILURE {@code WorkerLostError} stored; 0 for no limit
 * @param rejectOnWorkerLost whether a message of an acks-late task delivered again after its
 * worker was lost runs again (Celery's {@code task_reject_on_worker_lost}); when not, FAILURE
 * {@code WorkerLostError} is stored and the message acknowledged
 */
public record WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
		Duration shutdownTimeout, boolean resultExtended, boolean acksLate, int maxHeldEta, Duration stallTimeout,
		int maxDeliveries, boolean rejectOnWorkerLost) {

	/** The default of {@link #maxHeldEta()}. */
	public static final int DEFAULT_MAX_HELD_ETA = 10_000;

	/** The default of {@link #stallTimeout()}. */
	public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(10);

	/** The default of {@link #maxDeliveries()}. */
	public static final int DEFAULT_MAX_DELIVERIES = 5;

	public WorkerSettings {
		Assert.hasText(hostname, "'hostname' must not be empty");
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(concurrency > 0, "'concurrency' must be positive");
		Assert.isTrue(prefetchMultiplier > 0, "'prefetchMultiplier' must be positive");
		Assert.isTrue(maxHeldEta >= 0, "'maxHeldEta' must not be negative");
		Assert.isTrue(!stallTimeout.isNegative() && !stallTimeout.isZero(), "'stallTimeout' must be positive");
		Assert.isTrue(maxDeliveries >= 0, "'maxDeliveries' must not be negative");
		queues = List.copyOf(queues);
	}

	/**
	 * Settings with the default {@link #maxDeliveries()}, rejecting on worker loss.
	 */
	public WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
			Duration shutdownTimeout, boolean resultExtended, boolean acksLate, int maxHeldEta,
			Duration stallTimeout) {
		this(hostname, queues, concurrency, prefetchMultiplier, shutdownTimeout, resultExtended, acksLate, maxHeldEta,
				stallTimeout, DEFAULT_MAX_DELIVERIES, true);
	}

	/**
	 * Settings with the default {@link #maxHeldEta()} and {@link #stallTimeout()}.
	 */
	public WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
			Duration shutdownTimeout, boolean resultExtended, boolean acksLate) {
		this(hostname, queues, concurrency, prefetchMultiplier, shutdownTimeout, resultExtended, acksLate,
				DEFAULT_MAX_HELD_ETA, DEFAULT_STALL_TIMEOUT);
	}

	/**
	 * Whether a task acknowledges its message after it ran: as its annotation says, or all
	 * tasks when {@link #acksLate()}.
	 * @param task the task
	 * @return whether it acknowledges late
	 */
	public boolean acksLate(TaskEndpoint task) {
		return task.acksLate() || this.acksLate;
	}

	/**
	 * Whether a message of the task, delivered again after its worker was lost, runs again
	 * (when the task acknowledges late): {@link #rejectOnWorkerLost()}, for every task.
	 * @param task the task
	 * @return whether it runs again
	 */
	public boolean rejectOnWorkerLost(TaskEndpoint task) {
		return this.rejectOnWorkerLost;
	}

	/** The most messages held unacknowledged: concurrency times the prefetch multiplier. */
	public int prefetch() {
		return this.concurrency * this.prefetchMultiplier;
	}

}
