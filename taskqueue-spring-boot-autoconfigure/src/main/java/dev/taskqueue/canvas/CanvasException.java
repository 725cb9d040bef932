package dev.taskqueue.canvas;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a canvas cannot be applied: a value that is not a Celery signature (a missing
 * task name, arguments that are not a list, a composite without its parts), nesting deeper
 * than allowed, or a chord on a result backend that cannot join it.
 */
public class CanvasException extends TaskQueueException {

	public CanvasException(String message) {
		super(message);
	}

}
