package dev.taskqueue.events;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * The cluster as Celery's events show it, as Celery's {@code celery.events.state.State}: workers
 * by hostname and tasks by id, merged from the events {@link #accept(Map) given} (usually by an
 * {@link EventReceiver}). Event timestamps are normalised with their {@code utcoffset} as
 * Celery's receiver does. At most {@code maxTasks} tasks are kept, the first seen dropped first,
 * and at most {@code maxWorkers} workers, those not alive for longest dropped first. Reads return
 * immutable snapshots. Thread-safe; listeners are called outside the lock, so events are best
 * applied from one thread (as an {@link EventReceiver} does) for listeners to see them in order.
 */
public final class ClusterState implements Consumer<Map<String, Object>> {

	private static final Log logger = LogFactory.getLog(ClusterState.class);

	/** The number of tasks kept by default. */
	public static final int DEFAULT_MAX_TASKS = 10_000;

	/** The number of workers kept by default. */
	public static final int DEFAULT_MAX_WORKERS = 1_000;

	private static final int MAX_TASK_TYPES = 10_000;

	private final Object lock = new Object();

	private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();

	// insertion order is the order first seen, so the eldest is dropped first
	private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();

	private final Set<String> taskTypes = new TreeSet<>();

	private final List<Consumer<ClusterChange>> listeners = new CopyOnWriteArrayList<>();

	private final Clock clock;

	private final int maxTasks;

	private final int maxWorkers;

	/**
	 * Create a state of at most {@value #DEFAULT_MAX_TASKS} tasks, on the system clock.
	 */
	public ClusterState() {
		this(DEFAULT_MAX_TASKS, DEFAULT_MAX_WORKERS, Clock.systemDefaultZone());
	}

	/**
	 * Create a state.
	 * @param maxTasks how many tasks are kept at most
	 * @param maxWorkers how many workers are kept at most
	 * @param clock the clock of local receive times and liveness; its zone is the local one
	 * {@code utcoffset} is compared with
	 */
	public ClusterState(int maxTasks, int maxWorkers, Clock clock) {
		Assert.isTrue(maxTasks > 0, "'maxTasks' must be positive");
		Assert.isTrue(maxWorkers > 0, "'maxWorkers' must be positive");
		Assert.notNull(clock, "'clock' must not be null");
		this.maxTasks = maxTasks;
		this.maxWorkers = maxWorkers;
		this.clock = clock;
	}

	/**
	 * Apply one event. Events of other groups than {@code worker} and {@code task}, and events
	 * without the fields they need, change nothing. Never throws on the event's content.
	 * @param event the event, as received
	 */
	@Override
	public void accept(Map<String, Object> event) {
		Instant now = this.clock.instant();
		Map<String, Object> normalised = EventTimestamps.normalise(event, this.clock);
		Instant timestamp = EventTimestamps.timestamp(normalised);
		String type = (normalised.get("type") instanceof String value) ? value : "";
		int dash = type.indexOf('-');
		String group = (dash >= 0) ? type.substring(0, dash) : type;
		String subject = (dash >= 0) ? type.substring(dash + 1) : "";
		ClusterChange change = null;
		synchronized (this.lock) {
			if (group.equals("worker") && normalised.get("hostname") instanceof String hostname) {
				WorkerRecord worker = workerRecord(hostname);
				worker.workerEvent(subject, timestamp, now, normalised);
				change = new ClusterChange(type, worker.snapshot(now), null, normalised);
			}
			else if (group.equals("task") && normalised.get("uuid") instanceof String uuid
					&& normalised.get("hostname") instanceof String hostname) {
				change = taskEvent(type, subject, uuid, hostname, timestamp, now, normalised);
			}
		}
		if (change != null) {
			notify(change);
		}
	}

	private ClusterChange taskEvent(String type, String subject, String uuid, String hostname,
			@Nullable Instant timestamp, Instant now, Map<String, Object> event) {
		TaskRecord task = this.tasks.get(uuid);
		if (task == null) {
			task = new TaskRecord(uuid, now);
			this.tasks.put(uuid, task);
			dropEldestTasks();
		}
		WorkerRecord worker = null;
		if (subject.equals("sent")) {
			task.client(hostname);
		}
		else {
			worker = workerRecord(hostname);
			task.worker(hostname);
			worker.heartbeat(timestamp, now);
		}
		task.event(subject, timestamp, event);
		String name = task.name();
		if (name != null && this.taskTypes.size() < MAX_TASK_TYPES) {
			this.taskTypes.add(name);
		}
		return new ClusterChange(type, (worker != null) ? worker.snapshot(now) : null, task.snapshot(), event);
	}

	private WorkerRecord workerRecord(String hostname) {
		WorkerRecord worker = this.workers.get(hostname);
		if (worker == null) {
			if (this.workers.size() >= this.maxWorkers) {
				dropLongestSilentWorker();
			}
			worker = new WorkerRecord(hostname);
			this.workers.put(hostname, worker);
		}
		return worker;
	}

	private void dropEldestTasks() {
		Iterator<TaskRecord> eldest = this.tasks.values().iterator();
		while (this.tasks.size() > this.maxTasks && eldest.hasNext()) {
			eldest.next();
			eldest.remove();
		}
	}

	private void dropLongestSilentWorker() {
		this.workers.entrySet().stream()
			.min(Comparator.comparing((Map.Entry<String, WorkerRecord> entry) -> entry.getValue().lastHeartbeat(),
					Comparator.nullsFirst(Comparator.naturalOrder())))
			.map(Map.Entry::getKey)
			.ifPresent(this.workers::remove);
	}

	private void notify(ClusterChange change) {
		for (Consumer<ClusterChange> listener : this.listeners) {
			try {
				listener.accept(change);
			}
			catch (RuntimeException ex) {
				logger.warn("Cluster state listener failed on " + change.type() + " event", ex);
			}
		}
	}

	/**
	 * Call a listener after each event applied, on the thread that applied it.
	 * @param listener receives what each event changed; what it throws is logged
	 * @return a handle whose {@code close()} unsubscribes
	 */
	public AutoCloseable subscribe(Consumer<ClusterChange> listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Return every worker, ordered by hostname.
	 * @return the workers as they are now
	 */
	public List<WorkerSnapshot> workers() {
		Instant now = this.clock.instant();
		synchronized (this.lock) {
			return this.workers.values().stream().map((worker) -> worker.snapshot(now))
				.sorted(Comparator.comparing(WorkerSnapshot::hostname)).toList();
		}
	}

	/**
	 * Return a worker.
	 * @param hostname the worker's node name
	 * @return the worker as it is now, or empty when no event of it was seen
	 */
	public Optional<WorkerSnapshot> worker(String hostname) {
		Instant now = this.clock.instant();
		synchronized (this.lock) {
			return Optional.ofNullable(this.workers.get(hostname)).map((worker) -> worker.snapshot(now));
		}
	}

	/**
	 * Return a task.
	 * @param uuid the task id
	 * @return the task as it is now, or empty when unknown or dropped
	 */
	public Optional<TaskSnapshot> task(String uuid) {
		synchronized (this.lock) {
			return Optional.ofNullable(this.tasks.get(uuid)).map(TaskRecord::snapshot);
		}
	}

	/**
	 * Return the tasks a query selects, in its order.
	 * @param query the filters, order and page
	 * @return the tasks as they are now
	 */
	public List<TaskSnapshot> tasks(TaskQuery query) {
		List<TaskSnapshot> all;
		synchronized (this.lock) {
			all = this.tasks.values().stream().map(TaskRecord::snapshot).toList();
		}
		return TaskQueries.select(all, query);
	}

	/**
	 * Return the names of the tasks seen, sorted.
	 * @return the task names
	 */
	public Set<String> taskTypes() {
		synchronized (this.lock) {
			return Collections.unmodifiableSet(new TreeSet<>(this.taskTypes));
		}
	}

}
