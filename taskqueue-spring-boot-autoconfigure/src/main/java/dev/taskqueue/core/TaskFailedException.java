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

	public TaskFailedException(String taskId, ExceptionInfo exception, @Nullable String remoteTraceback) {
		super("Task " + taskId + " failed: " + exception);
		this.taskId = taskId;
		this.exception = exception;
		this.remoteTraceback = remoteTraceback;
	}

	public String getTaskId() {
		return this.taskId;
	}

	/** The exception's type, module and arguments. */
	public ExceptionInfo getException() {
		return this.exception;
	}

	/** The traceback the worker stored, or {@code null}. */
	public @Nullable String getRemoteTraceback() {
		return this.remoteTraceback;
	}

}
