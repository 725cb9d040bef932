package dev.taskqueue.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.TaskMessage;

/**
 * What a worker does with revokes, as Celery's worker does: a revoked task is discarded when
 * its message arrives, when its ETA comes and right before it runs (REVOKED stored with the
 * reason {@code revoked}, message acknowledged, task not run), and a revoke that terminates
 * interrupts the thread running the task, which then ends REVOKED with the reason
 * {@code terminated}. The checks read the store's local copy: no round trip per message.
 * Without a store nothing is ever revoked.
 */
final class RevokedTasks implements RevokedTaskStore.RevokeListener {

	private static final Log logger = LogFactory.getLog(RevokedTasks.class);

	private final @Nullable RevokedTaskStore store;

	private final ResultRecorder recorder;

	private final WorkerState state;

	private final Map<String, Running> running = new ConcurrentHashMap<>();

	private volatile RevokedTaskStore.@Nullable Following following;

	private final TaskListeners listeners;

	RevokedTasks(@Nullable RevokedTaskStore store, ResultRecorder recorder, WorkerState state,
			TaskListeners listeners) {
		this.store = store;
		this.recorder = recorder;
		this.state = state;
		this.listeners = listeners;
	}

	/** Follow the store, so that revokes made anywhere reach this worker. */
	void follow() {
		if (this.store != null) {
			this.following = this.store.follow(this);
		}
	}

	/** Stop following the store. */
	void close() {
		RevokedTaskStore.Following current = this.following;
		this.following = null;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * When the task is revoked: store REVOKED, acknowledge its message and return
	 * {@code true}; otherwise do nothing.
	 * @param delivery the delivery of the task
	 * @param message the task message
	 * @return whether the task was revoked and its message settled
	 */
	boolean discard(Delivery delivery, TaskMessage message) {
		if (!isRevoked(message.id())) {
			return false;
		}
		logger.info("Discarding revoked task " + message.task() + "[" + message.id() + "]");
		String queue = delivery.queue();
		this.recorder.storeQuietly(() -> this.recorder.revoked(message, queue, "revoked"), message.id());
		this.state.count(message.task(), CeleryStates.REVOKED);
		delivery.ack();
		this.listeners.taskRevoked(message, queue, false, false);
		return true;
	}

	/**
	 * {@link #discard} for a task that was reserved: held for its ETA.
	 * @param delivery the delivery of the task
	 * @param message the task message
	 * @return whether the task was revoked and its message settled
	 */
	boolean discardReserved(Delivery delivery, TaskMessage message) {
		if (!discard(delivery, message)) {
			return false;
		}
		this.state.unreserved();
		return true;
	}

	/**
	 * Run a task in this thread where a terminating revoke can interrupt it.
	 * @param taskId the task id
	 * @param task runs the task
	 * @param revoked the outcome of a task revoked, given the reason: {@code revoked} when
	 * revoked before it started, {@code terminated} when a revoke interrupted it
	 * @param <T> the outcome type
	 * @return the outcome of the task, or of the revoke
	 */
	<T> T run(String taskId, Supplier<T> task, Function<String, T> revoked) {
		if (this.store == null) {
			return task.get();
		}
		Running current = new Running(Thread.currentThread());
		this.running.put(taskId, current);
		try {
			// a revoke that came after the check before the task ran and before it was registered
			if (isRevoked(taskId)) {
				return revoked.apply("revoked");
			}
			T outcome = task.get();
			return current.finish() ? revoked.apply("terminated") : outcome;
		}
		finally {
			current.finish();
			this.running.remove(taskId, current);
		}
	}

	@Override
	public void revoked(String taskId, boolean terminate) {
		Running task = terminate ? this.running.get(taskId) : null;
		if (task != null && task.terminate()) {
			logger.info("Terminating task " + taskId + " (revoked)");
		}
	}

	private boolean isRevoked(String taskId) {
		return this.store != null && this.store.isRevoked(taskId);
	}

	/** A task running on a thread, which a revoke may interrupt until it finished. */
	private static final class Running {

		private final Thread thread;

		private boolean terminated;

		private boolean finished;

		Running(Thread thread) {
			this.thread = thread;
		}

		synchronized boolean terminate() {
			if (this.finished || this.terminated) {
				return false;
			}
			this.terminated = true;
			this.thread.interrupt();
			return true;
		}

		/**
		 * Stop the task from being interrupted, and clear an interrupt a revoke left on the
		 * thread, so that the next task on it does not see it.
		 * @return whether a revoke terminated the task
		 */
		synchronized boolean finish() {
			if (!this.finished) {
				this.finished = true;
				if (this.terminated) {
					Thread.interrupted();
				}
			}
			return this.terminated;
		}

	}

}
