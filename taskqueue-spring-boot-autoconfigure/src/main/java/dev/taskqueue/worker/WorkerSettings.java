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
 */
public record WorkerSettings(String hostname, List<String> queues, int concurrency, int prefetchMultiplier,
		Duration shutdownTimeout, boolean resultExtended, boolean acksLate) {

	public WorkerSettings {
		Assert.hasText(hostname, "'hostname' must not be empty");
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(concurrency > 0, "'concurrency' must be positive");
		Assert.isTrue(prefetchMultiplier > 0, "'prefetchMultiplier' must be positive");
		queues = List.copyOf(queues);
	}

	/** The most messages held unacknowledged: concurrency times the prefetch multiplier. */
	public int prefetch() {
		return this.concurrency * this.prefetchMultiplier;
	}

}
