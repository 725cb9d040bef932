package dev.taskqueue;

/**
 * Root of the exceptions taskqueue throws, as {@code AmqpException} is spring-amqp's: a
 * caller that wants to handle every task queue failure catches this one type. It lives in the
 * root package because every layer (codec, routing, transports, result backends and the API)
 * throws its subclasses.
 */
public abstract class TaskQueueException extends RuntimeException {

	protected TaskQueueException(String message) {
		super(message);
	}

	protected TaskQueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
