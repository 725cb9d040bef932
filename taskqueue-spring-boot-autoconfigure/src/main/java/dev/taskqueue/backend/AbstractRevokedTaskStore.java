package dev.taskqueue.backend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * The part of a {@link RevokedTaskStore} every implementation shares: this process' copy of
 * the revoked ids with their expiry ({@link RevokedIds}), the listeners, counting who
 * follows the store, and retrying a failed start of following. An implementation keeps the
 * revokes ({@link #persist}), starts and stops following them ({@link #startFollowing},
 * {@link #stopFollowing}) and hands every revoke it receives to {@link #apply} or, encoded
 * by {@link RevokeMessages}, to {@link #received}.
 */
public abstract class AbstractRevokedTaskStore implements RevokedTaskStore {

	private static final Log logger = LogFactory.getLog(AbstractRevokedTaskStore.class);

	/** How long to wait before trying again to follow a store that could not be reached. */
	private static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

	private final RevokedIds revoked;

	private final List<RevokeListener> listeners = new CopyOnWriteArrayList<>();

	private final Duration ttl;

	private final Clock clock;

	private final Object lifecycle = new Object();

	private int followers;

	private @Nullable ScheduledExecutorService retries;

	/**
	 * Create a store.
	 * @param ttl how long a revoke is kept
	 * @param clock the clock revokes expire by
	 */
	protected AbstractRevokedTaskStore(Duration ttl, Clock clock) {
		Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "'ttl' must be positive");
		this.ttl = ttl;
		this.clock = clock;
		this.revoked = new RevokedIds(clock);
	}

	@Override
	public final void revoke(Collection<String> taskIds, boolean terminate) {
		Assert.notEmpty(taskIds, "'taskIds' must not be empty");
		taskIds.forEach((id) -> Assert.isTrue(RevokeMessages.isValidId(id),
				() -> "Not a task id: '" + id + "' (1 to " + RevokeMessages.MAX_ID_LENGTH + " characters)"));
		Assert.isTrue(taskIds.size() <= RevokeMessages.MAX_IDS, () -> "Cannot revoke " + taskIds.size()
				+ " tasks at once: at most " + RevokeMessages.MAX_IDS + ", the most a worker reads in one revoke");
		List<String> ids = List.copyOf(taskIds);
		Instant expires = this.clock.instant().plus(this.ttl);
		persist(ids, terminate, expires);
		apply(ids, terminate, expires);
	}

	/**
	 * Keep revokes where every process finds them, and pass them on to the processes that
	 * follow the store. Returns once they are kept.
	 * @param taskIds the revoked ids
	 * @param terminate whether running tasks are to be interrupted
	 * @param expires when the revokes expire
	 * @throws ResultBackendException when they cannot be kept
	 */
	protected abstract void persist(List<String> taskIds, boolean terminate, Instant expires);

	/**
	 * Load the revokes kept into this process' copy with {@link #apply}, and receive new
	 * ones from now on; called when the first follower comes.
	 * @throws RuntimeException when the store cannot be reached; tried again a little later
	 */
	protected abstract void startFollowing();

	/** Stop receiving new revokes; called when the last follower leaves. */
	protected abstract void stopFollowing();

	/**
	 * Take revokes into this process' copy and tell the listeners of those that are new here
	 * (or that terminate now and did not before). Expired revokes are ignored.
	 * @param taskIds the revoked ids
	 * @param terminate whether running tasks are to be interrupted
	 * @param expires when the revokes expire
	 */
	protected final void apply(Collection<String> taskIds, boolean terminate, Instant expires) {
		for (String taskId : taskIds) {
			if (this.revoked.add(taskId, terminate, expires)) {
				notifyListeners(taskId, terminate);
			}
		}
	}

	/**
	 * Take the revokes of a message written by {@link RevokeMessages#encode} into this
	 * process' copy, as {@link #apply} does. A message that is not one is logged and ignored.
	 * @param payload the message
	 */
	protected final void received(byte[] payload) {
		RevokeMessages.Revokes revokes = RevokeMessages.decode(payload);
		if (revokes == null) {
			logger.warn("Ignoring a message of " + payload.length + " bytes in " + describe()
					+ " that is not a revoke");
			return;
		}
		apply(revokes.taskIds(), revokes.terminate(), revokes.expires());
	}

	private void notifyListeners(String taskId, boolean terminate) {
		for (RevokeListener listener : this.listeners) {
			try {
				listener.revoked(taskId, terminate);
			}
			catch (RuntimeException | Error ex) {
				// on a listener container's thread an Error would end the JVM (its default handler)
				logger.warn("A listener failed on the revoke of task " + taskId, ex);
			}
		}
	}

	@Override
	public boolean isRevoked(String taskId) {
		return this.revoked.contains(taskId);
	}

	@Override
	public Map<String, Instant> revoked() {
		return this.revoked.snapshot();
	}

	/** Forget this process' copy of the revokes (not the revokes kept). */
	protected final void clearLocal() {
		this.revoked.clear();
	}

	@Override
	public Following follow(RevokeListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		synchronized (this.lifecycle) {
			if (this.followers++ == 0) {
				tryStartFollowing();
			}
		}
		AtomicBoolean closed = new AtomicBoolean();
		return () -> {
			if (closed.compareAndSet(false, true)) {
				this.listeners.remove(listener);
				synchronized (this.lifecycle) {
					if (--this.followers == 0) {
						stopRetrying();
						stopFollowing();
					}
				}
			}
		};
	}

	/** Called under the lifecycle lock. */
	private void tryStartFollowing() {
		try {
			startFollowing();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot load the revoked tasks from " + describe() + " (trying again every "
					+ RETRY_INTERVAL.toSeconds() + " s; until then only revokes made here are known): " + ex);
			if (this.retries == null) {
				ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor((task) -> {
					Thread thread = new Thread(task, "taskqueue-revokes-retry");
					thread.setDaemon(true);
					return thread;
				});
				this.retries = retries;
				retries.scheduleWithFixedDelay(this::retry, RETRY_INTERVAL.toMillis(), RETRY_INTERVAL.toMillis(),
						TimeUnit.MILLISECONDS);
			}
		}
	}

	private void retry() {
		synchronized (this.lifecycle) {
			if (this.followers == 0 || this.retries == null) {
				return;
			}
			try {
				startFollowing();
				logger.info("Loaded the revoked tasks from " + describe());
				stopRetrying();
			}
			catch (RuntimeException | Error ex) {
				// an Error would cancel the retries silently: the store would never load
				logger.debug("Still cannot load the revoked tasks from " + describe() + ": " + ex);
			}
		}
	}

	/** Called under the lifecycle lock. */
	private void stopRetrying() {
		ScheduledExecutorService retries = this.retries;
		this.retries = null;
		if (retries != null) {
			retries.shutdownNow();
		}
	}

	@Override
	public Duration ttl() {
		return this.ttl;
	}

	/**
	 * Return the clock revokes expire by.
	 * @return the clock
	 */
	protected final Clock clock() {
		return this.clock;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + describe() + ", ttl=" + this.ttl + "]";
	}

}
