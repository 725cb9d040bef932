package dev.taskqueue.core;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.protocol.ResultMeta;

/**
 * How a {@link TaskTemplate} revokes a task, in Celery's order: store REVOKED with the reason
 * {@code revoked} unless the task already has a final state, then keep the revoke in the store
 * the workers follow, so that the state a terminated task stores (reason {@code terminated})
 * comes last. A backend that cannot be read or written is logged, not thrown: the revoke still
 * holds, and the worker that meets the task stores REVOKED. With the {@code rpc://} backend
 * the state goes to this client's own reply queue. Last, the revoke is broadcast to workers
 * that follow no store (Python ones) when a {@link RevokeBroadcaster} is set.
 */
final class TaskRevoker {

	private static final Log logger = LogFactory.getLog(TaskRevoker.class);

	private final ResultBackend backend;

	private final String replyTo;

	private volatile @Nullable RevokeBroadcaster broadcaster;

	TaskRevoker(ResultBackend backend, String replyTo) {
		this.backend = backend;
		this.replyTo = replyTo;
	}

	/**
	 * Revoke a task.
	 * @param store the store the workers follow, or {@code null} when none is set
	 * @param id the task id
	 * @param terminate whether a worker running the task interrupts it
	 * @throws IllegalStateException when no store is set
	 * @throws ResultBackendException when the revoke cannot be kept (the state may be stored
	 * already: revoke again)
	 */
	void revoke(@Nullable RevokedTaskStore store, String id, boolean terminate) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.state(store != null, "No RevokedTaskStore is set on this TaskTemplate: set the one the workers follow");
		storeRevoked(id);
		store.revoke(List.of(id), terminate);
		RevokeBroadcaster broadcaster = this.broadcaster;
		if (broadcaster != null) {
			try {
				broadcaster.broadcast(List.of(id), terminate);
			}
			catch (RuntimeException ex) {
				logger.warn("The revoke of task " + id + " is kept for the workers that follow the revoked tasks, "
						+ "but could not be broadcast to the others (Python workers): " + ex.getMessage());
			}
		}
	}

	void setBroadcaster(@Nullable RevokeBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	private void storeRevoked(String id) {
		if (this.backend instanceof DisabledResultBackend) {
			return;
		}
		try {
			if (!this.backend.get(id).isReady()) {
				this.backend.store(ResultMeta.revoked(id, "revoked"), this.replyTo);
			}
		}
		catch (ResultBackendException ex) {
			logger.warn("The REVOKED state of task " + id + " could not be stored; the worker stores it when it meets "
					+ "the task: " + ex.getMessage());
		}
	}

}
