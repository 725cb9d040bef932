package dev.taskqueue.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One worker's state as Celery's {@code celery.events.state.Worker} keeps it: the fields of
 * its last event, and the local time of its last heartbeat; alive while now is before that
 * time plus {@code freq} times the expire window (200 %). Any event of the worker, task events
 * too, counts as a heartbeat; {@code worker-offline} clears them. Guarded by the
 * {@link ClusterState}'s lock.
 */
final class WorkerRecord {

	static final double HEARTBEAT_EXPIRE_WINDOW = 200;

	// Celery's default freq before a worker event tells it
	private static final double DEFAULT_FREQ = 60;

	private final String hostname;

	@Nullable private String swIdent;

	@Nullable private String swVer;

	@Nullable private String swSys;

	private double freq = DEFAULT_FREQ;

	private int active;

	private long processed;

	private List<Double> loadavg = List.of();

	@Nullable private Long pid;

	@Nullable private Instant lastHeartbeat;

	@Nullable private Instant lastHeartbeatTimestamp;

	private boolean offline;

	WorkerRecord(String hostname) {
		this.hostname = hostname;
	}

	void workerEvent(String subject, @Nullable Instant timestamp, Instant localReceived, Map<String, Object> event) {
		this.swIdent = string(event, "sw_ident", this.swIdent);
		this.swVer = string(event, "sw_ver", this.swVer);
		this.swSys = string(event, "sw_sys", this.swSys);
		if (event.get("freq") instanceof Number n) {
			this.freq = n.doubleValue();
		}
		if (event.get("active") instanceof Number n) {
			this.active = n.intValue();
		}
		if (event.get("processed") instanceof Number n) {
			this.processed = n.longValue();
		}
		if (event.get("pid") instanceof Number n) {
			this.pid = n.longValue();
		}
		if (event.get("loadavg") instanceof List<?> list) {
			this.loadavg = list.stream().filter(Number.class::isInstance).map((n) -> ((Number) n).doubleValue())
				.limit(3).toList();
		}
		if (subject.equals("offline")) {
			this.offline = true;
			this.lastHeartbeat = null;
		}
		else {
			heartbeat(timestamp, localReceived);
		}
	}

	void heartbeat(@Nullable Instant timestamp, Instant localReceived) {
		if (timestamp == null) {
			return;
		}
		// Celery forgets an offline worker; any later event brings it back
		this.offline = false;
		if (this.lastHeartbeat == null || localReceived.isAfter(this.lastHeartbeat)) {
			this.lastHeartbeat = localReceived;
			this.lastHeartbeatTimestamp = timestamp;
		}
	}

	@Nullable Instant lastHeartbeat() {
		return this.lastHeartbeat;
	}

	boolean alive(Instant now) {
		if (this.lastHeartbeat == null) {
			return false;
		}
		long expiresAfterNanos = (long) (this.freq * HEARTBEAT_EXPIRE_WINDOW / 100 * 1e9);
		return now.isBefore(this.lastHeartbeat.plusNanos(expiresAfterNanos));
	}

	WorkerSnapshot snapshot(Instant now) {
		return new WorkerSnapshot(this.hostname, language(this.swIdent), this.swIdent, this.swVer, this.swSys,
				this.freq, this.active, this.processed, this.loadavg, this.pid, this.lastHeartbeat,
				this.lastHeartbeatTimestamp, alive(now), this.offline);
	}

	static @Nullable String language(@Nullable String swIdent) {
		if ("py-celery".equals(swIdent)) {
			return "Python";
		}
		if ("taskqueue".equals(swIdent)) {
			return "Java";
		}
		return swIdent;
	}

	private static @Nullable String string(Map<String, Object> event, String field, @Nullable String current) {
		return (event.get(field) instanceof String value) ? value : current;
	}

}
