package dev.taskqueue.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.protocol.ExceptionInfo;

/**
 * Thrown by {@link AsyncResult#get} when the task ended in FAILURE. Carries the exception as
 * the worker, Java or Python, stored it: type, module, arguments and traceback.
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
	 * The failure of one task of a group, its message naming where in the group it is.
	 * @param context which group member failed, such as {@code Group g, member 2 of 3}
	 * @param member the member's own failure
	 */
	TaskFailedException(String context, TaskFailedException member) {
		super(context + ": " + member.getMessage(), member);
		this.taskId = member.taskId;
		this.exception = member.exception;
		this.remoteTraceback = member.remoteTraceback;
	}

	/**
	 * Return the id of the task that failed.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the type of the exception the task raised, such as {@code ValueError} or
	 * {@code IllegalStateException}.
	 * @return the exception type, without its module
	 */
	public String getExceptionType() {
		return this.exception.type();
	}

	/**
	 * Return the module of the exception type: a Python module such as {@code builtins}, or
	 * the Java package for an exception a Java worker stored.
	 * @return the module
	 */
	public String getExceptionModule() {
		return this.exception.module();
	}

	/**
	 * Return the arguments the exception was raised with (Python's {@code exc.args}).
	 * @return the arguments, empty when there were none
	 */
	public List<Object> getExceptionArguments() {
		return this.exception.message();
	}

	/**
	 * Return the exception's message: its only argument as text, or the list of its arguments.
	 * @return the message
	 */
	public String getExceptionMessage() {
		return this.exception.text();
	}

	/**
	 * Return the traceback the worker stored, or {@code null}.
	 * @return the remote traceback, or {@code null}
	 */
	public @Nullable String getRemoteTraceback() {
		return this.remoteTraceback;
	}

}
