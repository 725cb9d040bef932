package dev.taskqueue.broker;

/**
 * Thrown when a broker cannot be reached or refuses an operation.
 */
public class BrokerException extends RuntimeException {

	public BrokerException(String message) {
		super(message);
	}

	public BrokerException(String message, Throwable cause) {
		super(message, cause);
	}

}
