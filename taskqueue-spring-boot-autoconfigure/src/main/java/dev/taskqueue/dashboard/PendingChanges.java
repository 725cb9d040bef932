package dev.taskqueue.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.events.ClusterChange;
import dev.taskqueue.events.TaskSnapshot;
import dev.taskqueue.events.WorkerSnapshot;

/**
 * The changes the live updates have yet to send: the latest state of each task and worker
 * changed since the last flush. Noting never blocks; past {@code maxPending} new tasks or
 * workers, the next flush tells the pages to read the lists again instead.
 */
final class PendingChanges {

	private final Map<String, TaskSnapshot> tasks = new ConcurrentHashMap<>();

	private final Map<String, WorkerSnapshot> workers = new ConcurrentHashMap<>();

	private final int maxPending;

	private volatile boolean overflow;

	PendingChanges(int maxPending) {
		this.maxPending = maxPending;
	}

	// on the event receiver's thread
	void note(ClusterChange change) {
		TaskSnapshot task = change.task();
		if (task != null) {
			note(this.tasks, task.uuid(), task);
		}
		WorkerSnapshot worker = change.worker();
		if (worker != null) {
			note(this.workers, worker.hostname(), worker);
		}
	}

	private <T> void note(Map<String, T> pending, String key, T value) {
		if (pending.size() < this.maxPending || pending.containsKey(key)) {
			pending.put(key, value);
		}
		else {
			this.overflow = true;
		}
	}

	// what changed since the last drain
	Changes drain() {
		boolean reload = this.overflow;
		this.overflow = false;
		return new Changes(drain(this.tasks), drain(this.workers), reload);
	}

	private static <T> Map<String, T> drain(Map<String, T> pending) {
		Map<String, T> drained = new HashMap<>();
		for (String key : List.copyOf(pending.keySet())) {
			T value = pending.remove(key);
			if (value != null) {
				drained.put(key, value);
			}
		}
		return drained;
	}

	/**
	 * What changed since the last flush.
	 *
	 * @param tasks the tasks by id, as they are now
	 * @param workers the workers by hostname, as they are now
	 * @param reload whether more changed than was noted, so that the lists are to be read again
	 */
	record Changes(Map<String, TaskSnapshot> tasks, Map<String, WorkerSnapshot> workers, boolean reload) {

		boolean isEmpty() {
			return this.tasks.isEmpty() && this.workers.isEmpty() && !this.reload;
		}

	}

}
