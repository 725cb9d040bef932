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

	/**
	 * The revoke of one task of a group, its message naming where in the group it is.
	 * @param context which group member was revoked, such as {@code Group g, member 2 of 3}
	 * @param member the member's own exception
	 */
	TaskRevokedException(String context, TaskRevokedException member) {
		super(context + ": " + member.getMessage(), member);
		this.taskId = member.taskId;
	}

	public String getTaskId() {
		return this.taskId;
	}

}
