package dev.taskqueue.control;

import dev.taskqueue.TaskQueueException;

/**
 * A remote-control message received cannot be read: not JSON, too large, or not of the
 * shape of a request or reply. It is logged and ignored, never answered.
 */
class PidboxMessageException extends TaskQueueException {

	PidboxMessageException(String message) {
		super(message);
	}

}
