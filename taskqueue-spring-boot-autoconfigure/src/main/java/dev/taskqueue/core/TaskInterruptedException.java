package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown by {@link AsyncResult#get} and {@link AsyncResult#await} when the waiting thread is
 * interrupted. The thread's interrupt flag is set again before this is thrown, so that code
 * further up still sees the interruption.
 */
public class TaskInterruptedException extends TaskQueueException {

	private final String taskId;

	/**
	 * Create an exception.
	 * @param taskId the task waited for
	 * @param cause the interruption
	 */
	public TaskInterruptedException(String taskId, InterruptedException cause) {
		super("Interrupted while waiting for the result of task " + taskId, cause);
		this.taskId = taskId;
	}

	/**
	 * Return the id of the task waited for.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

}
