package dev.taskqueue.dashboard;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when the dashboard or the REST API refuses an action, such as in read-only mode;
 * answered with 403 and the reason.
 */
final class ActionRefusedException extends TaskQueueException {

	ActionRefusedException(String message) {
		super(message);
	}

}
