package dev.taskqueue.core;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.protocol.ExceptionInfo;

/**
 * Thrown by {@link AsyncResult#get} when the task ended in FAILURE. Carries the exception as
 * the worker, Java or Python, stored it.
 */
public class TaskFailedException extends TaskQueueException {

	private final String taskId;

	private final ExceptionInfo exception;

	private final @Nullable String remoteTraceback;

	/**
	 * Create a new instance.
	 * @param taskId the id of the task that failed
	 * @param exception the exception's type, module and arguments
	 * @param remoteTraceback the traceback the worker stored, or {@code null}
	 */
	public TaskFailedException(String taskId, ExceptionInfo exception, @Nullable String remoteTraceback) {
		super("Task " + taskId + " failed: " + exception);
		this.taskId = taskId;
		this.exception = exception;
		this.remoteTraceback = remoteTraceback;
	}

	/**
	 * Return the id of the task that failed.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the exception's type, module and arguments.
	 * @return the exception information
	 */
	public ExceptionInfo getException() {
		return this.exception;
	}

	/**
	 * Return the traceback the worker stored, or {@code null}.
	 * @return the remote traceback, or {@code null}
	 */
	public @Nullable String getRemoteTraceback() {
		return this.remoteTraceback;
	}

}
