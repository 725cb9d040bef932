package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.worker.WorkerControl;
import dev.taskqueue.worker.WorkerState;

/**
 * Celery's {@code stats} reply, in the captured key order: {@code total}, {@code pid},
 * {@code clock} (a string), {@code uptime}, {@code pool}, {@code broker},
 * {@code prefetch_count} and {@code rusage}, all of which Flower's worker page reads.
 */
final class StatsCommand {

	private static final long PID = ProcessHandle.current().pid();

	private final WorkerControl worker;

	private final LamportClock clock;

	private final @Nullable Map<String, @Nullable Object> broker;

	/**
	 * Create the command.
	 * @param worker the worker
	 * @param clock the process' clock
	 * @param broker the broker object to reply with, or {@code null} to read it from the
	 * worker's broker URL
	 */
	StatsCommand(WorkerControl worker, LamportClock clock, @Nullable Map<String, @Nullable Object> broker) {
		this.worker = worker;
		this.clock = clock;
		this.broker = broker;
	}

	Map<String, @Nullable Object> stats() {
		Map<String, @Nullable Object> stats = new LinkedHashMap<>();
		stats.put("total", total());
		stats.put("pid", PID);
		stats.put("clock", Long.toString(this.clock.value()));
		stats.put("uptime", this.worker.uptime().toSeconds());
		stats.put("pool", pool());
		stats.put("broker", (this.broker != null) ? this.broker : BrokerInfo.of(this.worker.brokerUrl()));
		stats.put("prefetch_count", this.worker.prefetch());
		stats.put("rusage", ResourceUsage.current());
		return stats;
	}

	// tasks accepted by name: those finished and those running
	private Map<String, Long> total() {
		Map<String, Long> total = new TreeMap<>();
		this.worker.state().processedCounts()
			.forEach((name, states) -> total.put(name, states.values().stream().mapToLong(Long::longValue).sum()));
		// the state's active tasks leave as they are counted: none is counted twice
		for (WorkerState.ActiveTask task : this.worker.state().activeTasks()) {
			total.merge(task.name(), 1L, Long::sum);
		}
		return total;
	}

	private Map<String, Object> pool() {
		Map<String, Object> pool = new LinkedHashMap<>();
		pool.put("implementation", "java:" + this.worker.poolImplementation());
		pool.put("max-concurrency", this.worker.concurrency());
		pool.put("processes", List.of(PID));
		pool.put("max-tasks-per-child", "N/A");
		pool.put("put-guarded-by-semaphore", false);
		pool.put("timeouts", List.of(0, 0));
		return pool;
	}

}
