package dev.taskqueue.protocol;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a task message or result cannot be serialized, for example because an argument
 * has no JSON or msgpack form.
 */
public class MessageEncodingException extends TaskQueueException {

	public MessageEncodingException(String message) {
		super(message);
	}

	public MessageEncodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
