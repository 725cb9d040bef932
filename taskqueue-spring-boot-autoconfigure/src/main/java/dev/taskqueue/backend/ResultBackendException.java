package dev.taskqueue.backend;

/**
 * Thrown when a result backend cannot be reached or refuses an operation.
 */
public class ResultBackendException extends RuntimeException {

	public ResultBackendException(String message) {
		super(message);
	}

	public ResultBackendException(String message, Throwable cause) {
		super(message, cause);
	}

}
