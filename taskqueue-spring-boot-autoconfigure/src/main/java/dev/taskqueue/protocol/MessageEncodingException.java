package dev.taskqueue.protocol;

/**
 * Thrown when a task message or result cannot be serialized, for example because an argument
 * has no JSON form.
 */
public class MessageEncodingException extends RuntimeException {

	public MessageEncodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
