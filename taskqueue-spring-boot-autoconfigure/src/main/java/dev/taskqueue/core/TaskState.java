package dev.taskqueue.core;

import org.springframework.util.Assert;

import dev.taskqueue.protocol.CeleryStates;

/**
 * A task state as Celery names it: one of the built-in states or a custom one such as
 * {@code PROGRESS}. Compared by name.
 *
 * @param name the state name, as stored in the {@code status} field
 */
public record TaskState(String name) {

	/** Unknown or waiting: never stored, the absence of a result means pending. */
	public static final TaskState PENDING = new TaskState(CeleryStates.PENDING);

	/** A worker received the task. */
	public static final TaskState RECEIVED = new TaskState(CeleryStates.RECEIVED);

	/** A worker started the task (stored only when the task tracks it). */
	public static final TaskState STARTED = new TaskState(CeleryStates.STARTED);

	/** The task returned; final. */
	public static final TaskState SUCCESS = new TaskState(CeleryStates.SUCCESS);

	/** The task raised; final. */
	public static final TaskState FAILURE = new TaskState(CeleryStates.FAILURE);

	/** The task is to be retried. */
	public static final TaskState RETRY = new TaskState(CeleryStates.RETRY);

	/** The task was revoked or expired; final. */
	public static final TaskState REVOKED = new TaskState(CeleryStates.REVOKED);

	public TaskState {
		Assert.hasText(name, "'name' must not be empty");
	}

	/**
	 * Return the state of the given name.
	 * @param name a built-in or custom state name
	 * @return the state
	 */
	public static TaskState of(String name) {
		return new TaskState(name);
	}

	/** Whether the state is final: SUCCESS, FAILURE or REVOKED. */
	public boolean isReady() {
		return CeleryStates.isReady(this.name);
	}

	/** Whether the result of this state is an exception: FAILURE, RETRY or REVOKED. */
	public boolean isException() {
		return CeleryStates.isException(this.name);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
