package dev.taskqueue.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.taskqueue.backend.AbstractRevokedTaskStore;
import dev.taskqueue.backend.RevokedTaskStore;

/**
 * A {@link RevokedTaskStore} in this JVM, for the in-memory broker and for tests: revokes
 * reach the workers of this process only and are lost when it stops, as Celery's are.
 */
public class InMemoryRevokedTaskStore extends AbstractRevokedTaskStore {

	/**
	 * Create a store.
	 * @param ttl how long a revoke is kept
	 */
	public InMemoryRevokedTaskStore(Duration ttl) {
		this(ttl, Clock.systemUTC());
	}

	InMemoryRevokedTaskStore(Duration ttl, Clock clock) {
		super(ttl, clock);
	}

	/** Nothing to keep: the copy of this process is the store. */
	@Override
	protected void persist(List<String> taskIds, boolean terminate, Instant expires) {
	}

	@Override
	protected void startFollowing() {
	}

	@Override
	protected void stopFollowing() {
	}

	/** Forget every revoke, for example between tests sharing a context. */
	public void clear() {
		clearLocal();
	}

	@Override
	public String describe() {
		return "memory://";
	}

}
