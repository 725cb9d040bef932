package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A worker's statistics, the reply of {@code stats}.
 *
 * @param total the tasks accepted since start, by task name
 * @param pid the worker's process id
 * @param clock the worker's Lamport clock (sent as a string)
 * @param uptime the seconds since the worker started
 * @param prefetchCount the consumers' prefetch count
 * @param pool the pool's description, such as {@code max-concurrency} and {@code processes}
 * @param broker the broker connection's description (no password)
 * @param raw the object as received, with {@code rusage} and any key not modelled here
 */
public record WorkerStats(Map<String, Long> total, @Nullable Long pid, @Nullable Long clock, @Nullable Long uptime,
		@Nullable Long prefetchCount, Map<String, @Nullable Object> pool, Map<String, @Nullable Object> broker,
		Map<String, @Nullable Object> raw) {

	/**
	 * Return the pool's concurrency, {@code max-concurrency} in {@link #pool()}.
	 * @return the concurrency, {@code null} when not given
	 */
	public @Nullable Long maxConcurrency() {
		return (this.pool.get("max-concurrency") instanceof Number number) ? number.longValue() : null;
	}

}
