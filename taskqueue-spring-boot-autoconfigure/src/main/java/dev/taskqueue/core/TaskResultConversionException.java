package dev.taskqueue.core;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown by {@link AsyncResult#get} when a task succeeded but its result, a JSON value written
 * by the worker (Java or Python), cannot be converted to the type the caller asked for.
 */
public class TaskResultConversionException extends TaskQueueException {

	private final String taskId;

	/**
	 * Create a new instance.
	 * @param taskId the id of the task
	 * @param type the type the result was to be converted to
	 * @param cause why the conversion failed
	 */
	public TaskResultConversionException(String taskId, String type, Throwable cause) {
		super("The result of task " + taskId + " cannot be converted to " + type + ": " + cause.getMessage(), cause);
		this.taskId = taskId;
	}

	/**
	 * Return the id of the task.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

}
