package dev.taskqueue.worker;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this worker is doing and has done: active tasks, reserved (prefetched or held until
 * their ETA) tasks, and counts of finished tasks by name and final state. Thread-safe; read by
 * the actuator endpoint.
 */
public class WorkerState {

	private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();

	private final Map<String, Map<String, LongAdder>> processed = new ConcurrentHashMap<>();

	private final AtomicInteger reserved = new AtomicInteger();

	private final LongAdder rejected = new LongAdder();

	void reserved() {
		this.reserved.incrementAndGet();
	}

	void unreserved() {
		this.reserved.decrementAndGet();
	}

	void started(ActiveTask task) {
		this.active.put(task.id(), task);
	}

	void finished(String id, String name, String state) {
		this.active.remove(id);
		count(name, state);
	}

	void count(String name, String state) {
		this.processed.computeIfAbsent(name, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(state, (key) -> new LongAdder())
			.increment();
	}

	void rejected() {
		this.rejected.increment();
	}

	/** The tasks running now, oldest first. */
	public List<ActiveTask> activeTasks() {
		return this.active.values().stream().sorted(Comparator.comparing(ActiveTask::startTime)).toList();
	}

	/** The number of tasks taken from the broker and not started yet. */
	public int reservedCount() {
		return Math.max(0, this.reserved.get());
	}

	/** Finished tasks: task name to final state to count, sorted by name. */
	public Map<String, Map<String, Long>> processedCounts() {
		Map<String, Map<String, Long>> counts = new TreeMap<>();
		this.processed.forEach((name, states) -> {
			Map<String, Long> byState = new TreeMap<>();
			states.forEach((state, count) -> byState.put(state, count.sum()));
			counts.put(name, byState);
		});
		return counts;
	}

	/** The total number of finished tasks. */
	public long processedTotal() {
		return this.processed.values().stream().flatMap((states) -> states.values().stream())
			.mapToLong(LongAdder::sum).sum();
	}

	/** The number of messages moved to the dead-letter place because they could not be run. */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	/**
	 * A task running now.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param startTime when it started
	 * @param thread the name of the thread running it
	 */
	public record ActiveTask(String id, String name, List<Object> args, Map<String, Object> kwargs,
			Instant startTime, String thread) {
	}

}
