package dev.taskqueue.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The revoked task ids of a deployment, kept where every worker finds them: unlike Celery's
 * in-memory {@code revoked} set of each worker, a revoke outlives worker restarts and reaches
 * workers that were offline when it was made. Each entry lives for the store's
 * {@link #ttl()} (Celery's {@code REVOKE_EXPIRES}, 3 hours).
 * <p>
 * Anything may revoke: a client ({@code AsyncResult.revoke()}), and later the worker's
 * remote control when a Python client broadcasts Celery's {@code revoke} command. A worker
 * {@link #follow follows} the store: it loads what is kept and from then on learns every new
 * revoke as it is made, wherever it is made, so {@link #isRevoked} is a local read that costs
 * no round trip. Implementations are thread-safe; extend {@link AbstractRevokedTaskStore}.
 */
public interface RevokedTaskStore {

	/** How long a revoke is kept by default: Celery's {@code REVOKE_EXPIRES}, 10 800 s. */
	Duration DEFAULT_TTL = Duration.ofHours(3);

	/**
	 * Revoke tasks: keep their ids for {@link #ttl()} and tell every follower, in this process
	 * and in others. Revoking an id again renews it.
	 * @param taskIds the ids of the tasks to revoke
	 * @param terminate whether workers running one of the tasks interrupt it
	 * @throws ResultBackendException when the revoke cannot be kept; no follower learnt of it
	 */
	void revoke(Collection<String> taskIds, boolean terminate);

	/**
	 * Whether a task is revoked, read from this process' copy of the store: current while the
	 * store is {@link #follow followed}, otherwise it knows only the revokes made here.
	 * @param taskId the task id
	 * @return whether the task is revoked and the revoke has not expired
	 */
	boolean isRevoked(String taskId);

	/**
	 * The ids revoked and not expired, as this process knows them, with when each revoke
	 * expires; for Celery's {@code inspect revoked} and for the revokes a worker passes on.
	 * @return the revoked ids and their expiry, a snapshot
	 */
	Map<String, Instant> revoked();

	/**
	 * Load the revokes kept and follow new ones: from then on {@link #isRevoked} knows
	 * every revoke made anywhere, and the listener hears each revoke this process had not
	 * known of (and a known one that now terminates). Returns once the revokes kept are
	 * loaded; when the store cannot be reached it returns at once, logs it and loads them as
	 * soon as it can.
	 * @param listener called for each new revoke, on a thread of the store; it must not block
	 * @return the handle that stops following; the store stops following once no one does
	 */
	Following follow(RevokeListener listener);

	/**
	 * Return how long a revoke is kept.
	 * @return the time to live of a revoke
	 */
	Duration ttl();

	/**
	 * Where the revokes are kept, with any password masked, for messages.
	 * @return the description of the store
	 */
	String describe();

	/**
	 * Told of revokes as they are made.
	 */
	@FunctionalInterface
	interface RevokeListener {

		/**
		 * A task was revoked.
		 * @param taskId the task id
		 * @param terminate whether a running task is to be interrupted
		 */
		void revoked(String taskId, boolean terminate);

	}

	/**
	 * Following a store; {@link #close()} stops it.
	 */
	interface Following extends AutoCloseable {

		/** Stop following; the listener hears nothing more. */
		@Override
		void close();

	}

}
