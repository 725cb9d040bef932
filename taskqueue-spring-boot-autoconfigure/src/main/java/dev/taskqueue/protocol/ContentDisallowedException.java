package dev.taskqueue.protocol;

/**
 * Thrown when a received task message has a content type the worker does not accept (Celery's
 * {@code ContentDisallowed}): its body is not deserialized, and the worker dead-letters it
 * with this exception's message as the reason.
 */
public class ContentDisallowedException extends MessageDecodingException {

	public ContentDisallowedException(String message) {
		super(message);
	}

}
