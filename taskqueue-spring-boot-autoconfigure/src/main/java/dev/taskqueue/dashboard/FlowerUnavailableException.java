package dev.taskqueue.dashboard;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when the REST API lacks what an endpoint needs (a result backend, the fleet's
 * events, remote control); answered with 503 and the reason.
 */
final class FlowerUnavailableException extends TaskQueueException {

	FlowerUnavailableException(String message) {
		super(message);
	}

}
