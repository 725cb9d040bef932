package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a task cannot be sent: no route, arguments that cannot be serialized, a payload
 * over the limit, invalid options or a broker that did not take the message. Nothing was sent.
 */
public class TaskSendException extends TaskQueueException {

	public TaskSendException(String message) {
		super(message);
	}

	public TaskSendException(String message, Throwable cause) {
		super(message, cause);
	}

}
