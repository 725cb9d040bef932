package dev.taskqueue.beat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where the leader keeps the last tick of each entry, so that a restart or a new leader
 * neither repeats nor skips a tick. Implementations are thread-safe.
 */
public interface BeatStore {

	/**
	 * Return the last tick sent for an entry.
	 * @param entry the entry name
	 * @return the time the last tick was due, or {@code null} when none was sent
	 */
	@Nullable Instant lastRun(String entry);

	/**
	 * Record that an entry's tick was sent.
	 * @param entry the entry name
	 * @param due the time the tick was due
	 */
	void saveLastRun(String entry, Instant due);

}
