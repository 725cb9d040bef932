package dev.taskqueue.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.control.ActiveQueue;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.WorkerSnapshot;
import dev.taskqueue.worker.WorkerContainer;

/**
 * The workers and queues pages' data: the workers the fleet's events show, merged with the
 * queues each consumes as remote control's {@code active_queues} tells, asked at most every
 * {@value #INSPECT_EVERY_SECONDS} seconds whatever the number of page views (or this
 * application's worker's queues when remote control is off), and the queues' lengths and dead
 * letters from the broker.
 */
final class FleetData {

	static final int INSPECT_EVERY_SECONDS = 5;

	private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(1);

	private static final int MAX_QUEUES = 1_000;

	private final @Nullable ClusterState state;

	private final @Nullable TaskQueueControl control;

	private final @Nullable BrokerAdmin admin;

	private final @Nullable WorkerContainer worker;

	private final Clock clock;

	// queues once consumed stay listed while paused
	private final Set<String> knownQueues = new ConcurrentSkipListSet<>();

	private final Object inspecting = new Object();

	private volatile Inspected inspected = new Inspected(Instant.EPOCH, Map.of());

	FleetData(@Nullable ClusterState state, @Nullable TaskQueueControl control, @Nullable BrokerAdmin admin,
			@Nullable WorkerContainer worker, Clock clock) {
		this.state = state;
		this.control = control;
		this.admin = admin;
		this.worker = worker;
		this.clock = clock;
	}

	List<WorkerRow> workers() {
		Map<String, List<String>> queues = queuesByWorker(true);
		Map<String, WorkerRow> rows = new TreeMap<>();
		if (this.state != null) {
			this.state.workers().forEach((worker) -> rows.put(worker.hostname(), row(worker, queues)));
		}
		queues.forEach((hostname, names) -> rows.computeIfAbsent(hostname, (name) -> new WorkerRow(name,
				isLocal(name) ? "Java" : null, "online", null, null, null, List.of(), null, names)));
		return new ArrayList<>(rows.values());
	}

	// from the events and the last inspect only: cheap, for the live updates
	WorkerRow row(WorkerSnapshot worker) {
		return row(worker, queuesByWorker(false));
	}

	private WorkerRow row(WorkerSnapshot worker, Map<String, List<String>> queues) {
		Instant now = this.clock.instant();
		Double age = (worker.lastHeartbeat() != null)
				? Math.max(0, Duration.between(worker.lastHeartbeat(), now).toMillis() / 1000.0) : null;
		String software = (worker.swIdent() != null)
				? worker.swIdent() + ((worker.swVer() != null) ? " " + worker.swVer() : "") : null;
		boolean online = worker.alive() && !worker.offline();
		return new WorkerRow(worker.hostname(), worker.language(), online ? "online" : "offline", software,
				worker.active(), worker.processed(), worker.loadavg(), age,
				queues.getOrDefault(worker.hostname(), List.of()));
	}

	private boolean isLocal(String hostname) {
		return this.worker != null && this.worker.hostname().equals(hostname);
	}

	List<QueueRow> queues() {
		Map<String, List<String>> consumers = new TreeMap<>();
		queuesByWorker(true).forEach((hostname, names) -> names
			.forEach((name) -> consumers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(hostname)));
		Set<String> names = new TreeSet<>(this.knownQueues);
		names.addAll(consumers.keySet());
		List<QueueRow> rows = new ArrayList<>();
		for (String name : names) {
			rows.add(new QueueRow(name, count(() -> admin().size(name)), consumers.getOrDefault(name, List.of()),
					count(() -> admin().deadLetterCount(name))));
		}
		return rows;
	}

	List<DeadLetterRow> deadLetters(String queue, int limit) {
		if (this.admin == null) {
			throw new UnknownItemException("This broker keeps no dead letters that can be read");
		}
		return this.admin.deadLetters(queue, limit).stream().map(DeadLetterRow::of).toList();
	}

	private BrokerAdmin admin() {
		if (this.admin == null) {
			throw new IllegalStateException("no broker admin");
		}
		return this.admin;
	}

	private static @Nullable Long count(LongSupplier count) {
		try {
			return count.getAsLong();
		}
		catch (RuntimeException ex) {
			// no admin, or the broker is away: the page shows an unknown length
			return null;
		}
	}

	// the queues by worker, asked again when older than INSPECT_EVERY_SECONDS (one caller asks,
	// the others wait for its answer); with refresh false, the last answer
	Map<String, List<String>> queuesByWorker(boolean refresh) {
		if (this.control == null) {
			return (this.worker != null) ? remember(Map.of(this.worker.hostname(), this.worker.control().queues()))
					: Map.of();
		}
		if (refresh && stale()) {
			synchronized (this.inspecting) {
				if (stale()) {
					this.inspected = new Inspected(this.clock.instant(), remember(inspect()));
				}
			}
		}
		return this.inspected.queues();
	}

	private boolean stale() {
		return this.inspected.at().plusSeconds(INSPECT_EVERY_SECONDS).isBefore(this.clock.instant());
	}

	private Map<String, List<String>> inspect() {
		try {
			Map<String, List<String>> queues = new LinkedHashMap<>();
			for (Map.Entry<String, List<ActiveQueue>> reply : this.control.inspect(INSPECT_TIMEOUT)
				.activeQueues()
				.entrySet()) {
				queues.put(reply.getKey(), reply.getValue().stream().map(ActiveQueue::name).sorted().toList());
			}
			return queues;
		}
		catch (RuntimeException ex) {
			// the broker is away: the last answer stands until it is back
			return this.inspected.queues();
		}
	}

	private Map<String, List<String>> remember(Map<String, List<String>> queues) {
		queues.values().forEach((names) -> names.forEach((name) -> {
			if (this.knownQueues.size() < MAX_QUEUES) {
				this.knownQueues.add(name);
			}
		}));
		return queues;
	}

	/**
	 * The last answer of {@code active_queues}.
	 */
	private record Inspected(Instant at, Map<String, List<String>> queues) {
	}

	/**
	 * A row of the workers page.
	 *
	 * @param hostname the node name
	 * @param language {@code Python} or {@code Java}
	 * @param status {@code online} or {@code offline}
	 * @param software the software and its version
	 * @param active the tasks running
	 * @param processed the tasks accepted since start
	 * @param load the load averages
	 * @param heartbeat the seconds since the last heartbeat
	 * @param queues the queues consumed
	 */
	record WorkerRow(String hostname, @Nullable String language, String status, @Nullable String software,
			@Nullable Integer active, @Nullable Long processed, List<Double> load, @Nullable Double heartbeat,
			List<String> queues) {
	}

	/**
	 * A row of the queues page.
	 *
	 * @param name the queue name
	 * @param length the messages waiting, or {@code null} when unknown
	 * @param consumers the workers consuming it
	 * @param deadLetters the dead letters, or {@code null} when unknown
	 */
	record QueueRow(String name, @Nullable Long length, List<String> consumers, @Nullable Long deadLetters) {
	}

	/**
	 * A dead letter, without its raw message.
	 *
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param reason why it was moved aside
	 * @param time when, or {@code null}
	 */
	record DeadLetterRow(@Nullable String taskId, @Nullable String taskName, String reason, @Nullable Instant time) {

		static DeadLetterRow of(DeadLetter letter) {
			return new DeadLetterRow(letter.taskId(), letter.taskName(), Texts.truncate(letter.reason()),
					letter.time());
		}

	}

}
