package dev.taskqueue.worker;

/**
 * Thrown when a message's arguments do not fit the task method: Python's {@code TypeError}.
 * Such a task fails at once and is not retried.
 */
class TaskArgumentException extends RuntimeException {

	TaskArgumentException(String message) {
		super(message);
	}

}
