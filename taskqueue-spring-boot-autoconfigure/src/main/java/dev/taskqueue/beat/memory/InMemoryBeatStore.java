package dev.taskqueue.beat.memory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.beat.BeatStore;

/**
 * The last ticks of beat's entries in memory, for the in-memory broker: they are lost with the
 * process, as the broker's messages are.
 */
public class InMemoryBeatStore implements BeatStore {

	private final Map<String, Instant> lastRuns = new ConcurrentHashMap<>();

	/**
	 * Create an empty store.
	 */
	public InMemoryBeatStore() {
	}

	@Override
	public @Nullable Instant lastRun(String entry) {
		return this.lastRuns.get(entry);
	}

	@Override
	public void saveLastRun(String entry, Instant due) {
		this.lastRuns.put(entry, due);
	}

}
