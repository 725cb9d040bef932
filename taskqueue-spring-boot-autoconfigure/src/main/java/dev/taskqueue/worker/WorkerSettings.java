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
 * @param maxHeldEta the most tasks held for their ETA outside the prefetch window, and the
 * most waiting for a rate-limit token outside it
 * @param stallTimeout how long tasks may wait for a pool thread while none starts or finishes
 * before the worker counts as wedged
 * @param maxDeliveries the most times a message may be delivered
 * ({@link dev.taskqueue.broker.Delivery#deliveryCount()}); one delivered more often goes to
 * the dead-letter place with FAILURE {@code WorkerLostError} stored; 0 for no limit
 */
public record WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
		Duration shutdownTimeout, boolean resultExtended, int maxHeldEta, Duration stallTimeout, int maxDeliveries) {

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
	 * Settings with the default {@link #maxHeldEta()}, {@link #stallTimeout()} and
	 * {@link #maxDeliveries()}.
	 */
	public WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
			Duration shutdownTimeout, boolean resultExtended) {
		this(hostname, queues, concurrency, prefetchMultiplier, shutdownTimeout, resultExtended, DEFAULT_MAX_HELD_ETA,
				DEFAULT_STALL_TIMEOUT, DEFAULT_MAX_DELIVERIES);
	}

	/** The most messages held unacknowledged: concurrency times the prefetch multiplier. */
	public int prefetch() {
		return this.concurrency * this.prefetchMultiplier;
	}

}
