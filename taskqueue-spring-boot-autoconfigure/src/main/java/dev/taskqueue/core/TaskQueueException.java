package dev.taskqueue.core;

/**
 * Base class of the exceptions the task queue API throws.
 */
public abstract class TaskQueueException extends RuntimeException {

	protected TaskQueueException(String message) {
		super(message);
	}

	protected TaskQueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
