package dev.taskqueue.backend;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a result backend cannot be reached or refuses an operation.
 */
public class ResultBackendException extends TaskQueueException {

	public ResultBackendException(String message) {
		super(message);
	}

	public ResultBackendException(String message, Throwable cause) {
		super(message, cause);
	}

}
