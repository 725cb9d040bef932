package dev.taskqueue.dashboard;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a request names a task, worker, queue or dead letter that is not known here;
 * answered with 404 and the reason.
 */
final class UnknownItemException extends TaskQueueException {

	UnknownItemException(String message) {
		super(message);
	}

}
