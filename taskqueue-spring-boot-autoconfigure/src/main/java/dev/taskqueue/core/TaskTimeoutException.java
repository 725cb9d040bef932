package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

import java.time.Duration;

/**
 * Thrown by {@link AsyncResult#get} when the task did not reach a final state in time.
 */
public class TaskTimeoutException extends TaskQueueException {

	public TaskTimeoutException(String taskId, Duration timeout, String state) {
		super("Task " + taskId + " is still " + state + " after " + timeout);
	}

}
