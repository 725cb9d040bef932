package dev.taskqueue.backend.rpc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

/**
 * What a client of {@link RpcResultBackend} received on its reply queue: the latest state of
 * each task, whether or not anybody waits for it, and the listeners waiting for new states.
 * <p>
 * The states are bounded: a state is dropped once it is older than {@code result_expires}
 * (as the Redis backend's keys expire) and, beyond {@code maxStates} tasks, the tasks updated
 * least recently are dropped first. A dropped task reads as PENDING again. A SUCCESS is never
 * replaced by a later state of the same task, as with the other backends.
 * <p>
 * Listeners are called on a thread of their own, one state after the other in the order they
 * were received, never on the thread that consumes the reply queue.
 */
final class ReplyStates {

	private static final Log logger = LogFactory.getLog(ReplyStates.class);

	private final Object lock = new Object();

	/** The latest state per task, least recently updated first. */
	private final LinkedHashMap<String, Received> states = new LinkedHashMap<>();

	private final Map<String, List<Subscription>> subscriptions = new HashMap<>();

	private final ExecutorService dispatcher;

	private final Duration expires;

	private final int maxStates;

	private final Clock clock;

	/**
	 * Create an empty store.
	 * @param expires how long a state is kept after it was received, zero for ever
	 * @param maxStates the most tasks whose state is kept
	 * @param clock the clock that ages states
	 * @param threadName the name of the thread that calls the listeners
	 */
	ReplyStates(Duration expires, int maxStates, Clock clock, String threadName) {
		this.expires = expires;
		this.maxStates = maxStates;
		this.clock = clock;
		this.dispatcher = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Keep a state received for a task and pass it to the task's current listeners.
	 * @param taskId the task the state belongs to (the message's correlation id)
	 * @param meta the state
	 */
	void received(String taskId, ResultMeta meta) {
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			Received previous = this.states.get(taskId);
			if (previous != null && !previous.isExpired(now, this.expires)
					&& CeleryStates.SUCCESS.equals(previous.meta().status())) {
				logger.debug("Ignoring the " + meta.status() + " state of task " + taskId + " received after SUCCESS");
				return;
			}
			this.states.remove(taskId);
			this.states.put(taskId, new Received(meta, now));
			evict(now);
			List<Subscription> current = this.subscriptions.get(taskId);
			if (current != null) {
				// queued under the lock so that states reach the listeners in the order received
				dispatch(List.copyOf(current), meta);
			}
		}
	}

	/**
	 * Return the latest state received for a task.
	 * @param taskId the task id
	 * @return the state, or {@code null} when none was received (or it was dropped)
	 */
	@Nullable ResultMeta latest(String taskId) {
		synchronized (this.lock) {
			Received received = this.states.get(taskId);
			if (received == null) {
				return null;
			}
			if (received.isExpired(this.clock.instant(), this.expires)) {
				this.states.remove(taskId);
				return null;
			}
			return received.meta();
		}
	}

	void forget(String taskId) {
		synchronized (this.lock) {
			this.states.remove(taskId);
		}
	}

	/**
	 * Return the number of tasks whose state is kept.
	 * @return the number of kept states
	 */
	int size() {
		synchronized (this.lock) {
			return this.states.size();
		}
	}

	ResultSubscription subscribe(String taskId, ResultListener listener) {
		Subscription subscription = new Subscription(taskId, listener);
		synchronized (this.lock) {
			this.subscriptions.computeIfAbsent(taskId, (id) -> new ArrayList<>()).add(subscription);
		}
		return subscription;
	}

	/**
	 * Subscribe and tell the listener the latest state received, if any, before the states
	 * received from now on: both happen under the lock, so no state is told twice or skipped.
	 * @param taskId the task id
	 * @param listener the listener
	 * @return the subscription
	 */
	ResultSubscription follow(String taskId, ResultListener listener) {
		Subscription subscription = new Subscription(taskId, listener);
		synchronized (this.lock) {
			this.subscriptions.computeIfAbsent(taskId, (id) -> new ArrayList<>()).add(subscription);
			ResultMeta latest = latest(taskId);
			if (latest != null) {
				dispatch(List.of(subscription), latest);
			}
		}
		return subscription;
	}

	/** Stop calling listeners. */
	void close() {
		synchronized (this.lock) {
			this.subscriptions.clear();
		}
		this.dispatcher.shutdown();
	}

	private void evict(Instant now) {
		Iterator<Received> oldestFirst = this.states.values().iterator();
		while (oldestFirst.hasNext()) {
			Received oldest = oldestFirst.next();
			if (this.states.size() <= this.maxStates && !oldest.isExpired(now, this.expires)) {
				return;
			}
			oldestFirst.remove();
		}
	}

	private void dispatch(List<Subscription> targets, ResultMeta meta) {
		try {
			this.dispatcher.execute(() -> targets.forEach((subscription) -> subscription.deliver(meta)));
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private record Received(ResultMeta meta, Instant receivedAt) {

		boolean isExpired(Instant now, Duration expires) {
			return !expires.isZero() && now.isAfter(this.receivedAt.plus(expires));
		}

	}

	private final class Subscription implements ResultSubscription {

		private final String taskId;

		private final ResultListener listener;

		private volatile boolean closed;

		Subscription(String taskId, ResultListener listener) {
			this.taskId = taskId;
			this.listener = listener;
		}

		void deliver(ResultMeta meta) {
			if (this.closed) {
				return;
			}
			try {
				this.listener.onResult(meta);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of task " + this.taskId + " failed on its " + meta.status() + " state", ex);
			}
		}

		@Override
		public void close() {
			this.closed = true;
			synchronized (ReplyStates.this.lock) {
				List<Subscription> current = ReplyStates.this.subscriptions.get(this.taskId);
				if (current != null && current.remove(this) && current.isEmpty()) {
					ReplyStates.this.subscriptions.remove(this.taskId);
				}
			}
		}

	}

}
