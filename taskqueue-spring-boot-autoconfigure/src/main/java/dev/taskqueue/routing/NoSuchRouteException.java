package dev.taskqueue.routing;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a task cannot be routed, for example to a queue that is not declared while
 * missing queues may not be created.
 */
public class NoSuchRouteException extends TaskQueueException {

	public NoSuchRouteException(String message) {
		super(message);
	}

}
