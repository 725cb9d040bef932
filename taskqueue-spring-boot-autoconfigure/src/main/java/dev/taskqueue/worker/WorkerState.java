package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

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

	private final AtomicInteger waiting = new AtomicInteger();

	private volatile long waitingSince = System.nanoTime();

	private volatile long lastProgress = System.nanoTime();

	private volatile @Nullable Failure lastFailure;

	private final Set<RunawayTask> runaways = ConcurrentHashMap.newKeySet();

	private final LongAdder abandoned = new LongAdder();

	void reserved() {
		this.reserved.incrementAndGet();
	}

	void unreserved() {
		this.reserved.decrementAndGet();
	}

	/** A task was queued for the pool. */
	void queued() {
		if (this.waiting.getAndIncrement() == 0) {
			this.waitingSince = System.nanoTime();
		}
	}

	/** A queued task was taken by a pool thread (or given back). */
	void dequeued() {
		this.waiting.decrementAndGet();
		this.lastProgress = System.nanoTime();
	}

	void started(ActiveTask task) {
		this.active.put(task.id(), task);
	}

	void finished(String id, String name, String state) {
		this.active.remove(id);
		count(name, state);
		this.lastProgress = System.nanoTime();
	}

	/**
	 * A running task stopped without a result, and its message went back to the broker.
	 * @param id the task id
	 */
	void givenBack(String id) {
		this.active.remove(id);
		this.lastProgress = System.nanoTime();
	}

	/**
	 * Handling a delivery failed unexpectedly, possibly with an {@link Error}.
	 * @param failure the failure
	 */
	void failed(Throwable failure) {
		this.lastFailure = new Failure(failure.toString(), failure instanceof VirtualMachineError, Instant.now());
	}

	void count(String name, String state) {
		this.processed.computeIfAbsent(name, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(state, (key) -> new LongAdder())
			.increment();
	}

	void rejected() {
		this.rejected.increment();
	}

	/**
	 * A task passed its hard time limit: its thread was interrupted and abandoned.
	 * @param task the task, still running
	 */
	void abandoned(RunawayTask task) {
		this.abandoned.increment();
		this.runaways.add(task);
	}

	/**
	 * The thread of an abandoned task returned.
	 * @param task the task
	 */
	void runawayEnded(RunawayTask task) {
		this.runaways.remove(task);
	}

	/**
	 * Return the tasks running now, oldest first.
	 * @return the active tasks
	 */
	public List<ActiveTask> activeTasks() {
		return this.active.values().stream().sorted(Comparator.comparing(ActiveTask::startTime)).toList();
	}

	/**
	 * Return the number of tasks taken from the broker and not started yet.
	 * @return the number of reserved tasks
	 */
	public int reservedCount() {
		return Math.max(0, this.reserved.get());
	}

	/**
	 * Return the finished tasks: task name to final state to count, sorted by name.
	 * @return the counts of finished tasks
	 */
	public Map<String, Map<String, Long>> processedCounts() {
		Map<String, Map<String, Long>> counts = new TreeMap<>();
		this.processed.forEach((name, states) -> {
			Map<String, Long> byState = new TreeMap<>();
			states.forEach((state, count) -> byState.put(state, count.sum()));
			counts.put(name, byState);
		});
		return counts;
	}

	/**
	 * Return the total number of finished tasks.
	 * @return the number of finished tasks
	 */
	public long processedTotal() {
		return this.processed.values().stream().flatMap((states) -> states.values().stream())
			.mapToLong(LongAdder::sum).sum();
	}

	/**
	 * How long tasks have waited for a pool thread while none started or finished.
	 * @return that time, or {@link Duration#ZERO} when no task waits
	 */
	public Duration stalledFor() {
		if (this.waiting.get() <= 0) {
			return Duration.ZERO;
		}
		long since = Math.max(this.waitingSince, this.lastProgress);
		return Duration.ofNanos(Math.max(0, System.nanoTime() - since));
	}

	/**
	 * Return the number of tasks waiting for a pool thread.
	 * @return the number of waiting tasks
	 */
	public int waitingCount() {
		return Math.max(0, this.waiting.get());
	}

	/**
	 * Return the last unexpected failure of the worker itself (not of a task).
	 * @return the last failure, or {@code null}
	 */
	public @Nullable Failure lastFailure() {
		return this.lastFailure;
	}

	/**
	 * Return the number of messages moved to the dead-letter place because they could not be
	 * run.
	 * @return the number of rejected messages
	 */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	/**
	 * Return the number of tasks whose threads were abandoned at their hard time limit.
	 * @return the number of abandoned tasks
	 */
	public long abandonedCount() {
		return this.abandoned.sum();
	}

	/**
	 * Return the abandoned tasks whose threads still run, oldest first: the JVM cannot stop
	 * them, and they use CPU and memory until they return.
	 * @return the runaway tasks
	 */
	public List<RunawayTask> runawayTasks() {
		return this.runaways.stream().sorted(Comparator.comparing(RunawayTask::startTime)).toList();
	}

	/**
	 * A task running now.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param argsrepr the positional arguments as Celery shows them ({@link dev.taskqueue.protocol.TaskMessage#argsrepr()})
	 * @param kwargsrepr the keyword arguments as Celery shows them
	 * @param startTime when it started
	 * @param thread the name of the thread running it
	 */
	public record ActiveTask(String id, String name, String argsrepr, String kwargsrepr, Instant startTime,
			String thread) {
	}

	/**
	 * A task abandoned at its hard time limit whose thread still runs.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param thread the name of the thread running it
	 * @param startTime when it started
	 * @param abandonedTime when its hard time limit passed
	 */
	public record RunawayTask(String id, String name, String thread, Instant startTime, Instant abandonedTime) {
	}

	/**
	 * An unexpected failure of the worker.
	 *
	 * @param description the error's class and message
	 * @param fatal whether it was a {@link VirtualMachineError}, such as an
	 * {@link OutOfMemoryError}
	 * @param time when it happened
	 */
	public record Failure(String description, boolean fatal, Instant time) {
	}

}
