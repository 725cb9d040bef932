package dev.taskqueue.core;

import java.util.List;

/**
 * Passes a revoke on to workers that do not follow the {@link dev.taskqueue.backend.RevokedTaskStore}
 * (Python Celery workers): Celery's {@code revoke} remote-control broadcast. A
 * {@link TaskTemplate} calls it after keeping the revoke in the store.
 */
@FunctionalInterface
public interface RevokeBroadcaster {

	/**
	 * Broadcast a revoke, without waiting for replies.
	 * @param taskIds the revoked task ids
	 * @param terminate whether workers running one of the tasks interrupt it
	 * @throws RuntimeException when the broadcast cannot be sent; the revoke is kept in the
	 * store all the same, and the caller logs it
	 */
	void broadcast(List<String> taskIds, boolean terminate);

}
