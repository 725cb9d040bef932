package dev.taskqueue.broker;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a broker cannot be reached or refuses an operation.
 */
public class BrokerException extends TaskQueueException {

	public BrokerException(String message) {
		super(message);
	}

	public BrokerException(String message, Throwable cause) {
		super(message, cause);
	}

}
