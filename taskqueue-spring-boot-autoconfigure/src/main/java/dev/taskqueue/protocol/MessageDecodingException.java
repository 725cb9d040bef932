package dev.taskqueue.protocol;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when bytes received from a broker are not a valid Celery task message. The message
 * says why, in words fit for a dead-letter reason.
 */
public class MessageDecodingException extends TaskQueueException {

	public MessageDecodingException(String message) {
		super(message);
	}

	public MessageDecodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
