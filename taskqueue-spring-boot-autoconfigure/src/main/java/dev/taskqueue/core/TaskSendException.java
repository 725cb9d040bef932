package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a task cannot be sent: no route, arguments that cannot be serialized, a payload
 * over the limit, invalid options, or a broker that refused the message or did not confirm it.
 * The message says which: in most cases nothing was sent, but when the connection broke after
 * the message was written and before the broker confirmed it (RabbitMQ) or answered (Redis),
 * or the master has it and too few replicas confirmed it ({@code wait-for-replicas}), it says
 * the message may have been taken, and sending it again may run the task twice.
 */
public class TaskSendException extends TaskQueueException {

	public TaskSendException(String message) {
		super(message);
	}

	public TaskSendException(String message, Throwable cause) {
		super(message, cause);
	}

}
