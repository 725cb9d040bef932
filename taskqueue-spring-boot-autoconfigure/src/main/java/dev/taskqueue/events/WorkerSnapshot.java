package dev.taskqueue.events;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A worker as its events show it, at one moment.
 *
 * @param hostname the node name, such as {@code celery@host}
 * @param language {@code Python}, {@code Java}, or the software's name when neither
 * @param swIdent the software's name ({@code py-celery}, {@code taskqueue})
 * @param swVer the software's version
 * @param swSys the operating system
 * @param freq the seconds between heartbeats
 * @param active the number of tasks running
 * @param processed the number of tasks accepted since start
 * @param loadavg the load averages
 * @param pid the process id
 * @param lastHeartbeat when the last heartbeat arrived here
 * @param lastHeartbeatTimestamp the last heartbeat's own time, normalised to UTC
 * @param alive whether a heartbeat arrived within twice {@code freq}
 * @param offline whether the worker said it went offline
 */
public record WorkerSnapshot(String hostname, @Nullable String language, @Nullable String swIdent,
		@Nullable String swVer, @Nullable String swSys, double freq, int active, long processed, List<Double> loadavg,
		@Nullable Long pid, @Nullable Instant lastHeartbeat, @Nullable Instant lastHeartbeatTimestamp, boolean alive,
		boolean offline) {

	public WorkerSnapshot {
		loadavg = List.copyOf(loadavg);
	}

}
