package dev.taskqueue.routing;

/**
 * Thrown when a task cannot be routed, for example to a queue that is not declared while
 * missing queues may not be created.
 */
public class NoSuchRouteException extends RuntimeException {

	public NoSuchRouteException(String message) {
		super(message);
	}

}
