package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown by {@link AsyncResult#get} when the task was revoked or expired before it ran.
 */
public class TaskRevokedException extends TaskQueueException {

	private final String taskId;

	public TaskRevokedException(String taskId, String reason) {
		super("Task " + taskId + " was revoked: " + reason);
		this.taskId = taskId;
	}

	public String getTaskId() {
		return this.taskId;
	}

}
