package dev.taskqueue.backend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process' copy of the revoked ids of an {@link AbstractRevokedTaskStore}: each id with
 * when its revoke expires and whether it terminates. Expired entries read as absent and are
 * swept out at most once a minute, when a revoke is added.
 */
final class RevokedIds {

	/** How often expired revokes are swept out, at most. */
	private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Clock clock;

	private volatile long nextPrune;

	RevokedIds(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Add a revoke, or renew a known one (the later expiry wins, a terminate stays).
	 * @param taskId the revoked id
	 * @param terminate whether a running task is to be interrupted
	 * @param expires when the revoke expires
	 * @return whether the revoke is news here: the id was not revoked, or it terminates now
	 * and did not before
	 */
	boolean add(String taskId, boolean terminate, Instant expires) {
		Instant now = this.clock.instant();
		if (!expires.isAfter(now)) {
			return false;
		}
		AtomicBoolean news = new AtomicBoolean();
		this.entries.compute(taskId, (id, previous) -> {
			if (previous == null || !previous.expires().isAfter(now)) {
				news.set(true);
				return new Entry(expires, terminate);
			}
			news.set(terminate && !previous.terminate());
			return new Entry(expires.isAfter(previous.expires()) ? expires : previous.expires(),
					terminate || previous.terminate());
		});
		prune(now);
		return news.get();
	}

	boolean contains(String taskId) {
		Entry entry = this.entries.get(taskId);
		return entry != null && entry.expires().isAfter(this.clock.instant());
	}

	Map<String, Instant> snapshot() {
		Instant now = this.clock.instant();
		Map<String, Instant> current = new HashMap<>();
		this.entries.forEach((id, entry) -> {
			if (entry.expires().isAfter(now)) {
				current.put(id, entry.expires());
			}
		});
		return current;
	}

	void clear() {
		this.entries.clear();
	}

	private void prune(Instant now) {
		long millis = now.toEpochMilli();
		if (millis < this.nextPrune) {
			return;
		}
		this.nextPrune = millis + PRUNE_INTERVAL.toMillis();
		this.entries.values().removeIf((entry) -> !entry.expires().isAfter(now));
	}

	private record Entry(Instant expires, boolean terminate) {

	}

}
