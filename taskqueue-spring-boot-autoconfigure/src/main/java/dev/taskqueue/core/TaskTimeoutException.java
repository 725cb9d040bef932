package dev.taskqueue.core;

import java.time.Duration;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown by {@link AsyncResult#get} and {@link AsyncResult#await} when the task did not reach
 * a final state in time.
 */
public class TaskTimeoutException extends TaskQueueException {

	private final String taskId;

	private final Duration timeout;

	private final TaskState lastState;

	/**
	 * Create an exception.
	 * @param taskId the task waited for
	 * @param timeout how long the caller waited
	 * @param lastState the state the task was in when the wait ended
	 */
	public TaskTimeoutException(String taskId, Duration timeout, TaskState lastState) {
		super("Task " + taskId + " is still " + lastState + " after " + timeout);
		this.taskId = taskId;
		this.timeout = timeout;
		this.lastState = lastState;
	}

	/**
	 * The timeout of a wait for a whole group, its message naming the member not done.
	 * @param context which group member is not done, such as {@code Group g, member 2 of 3}
	 * @param member the timeout of the wait for that member
	 * @param timeout how long the caller waited for the whole group
	 */
	TaskTimeoutException(String context, TaskTimeoutException member, Duration timeout) {
		super(context + ": task " + member.taskId + " is still " + member.lastState + " after " + timeout, member);
		this.taskId = member.taskId;
		this.timeout = timeout;
		this.lastState = member.lastState;
	}

	/**
	 * Return the id of the task waited for.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return how long the caller waited.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Return the state the task was in when the wait ended.
	 * @return the last state
	 */
	public TaskState getLastState() {
		return this.lastState;
	}

}
