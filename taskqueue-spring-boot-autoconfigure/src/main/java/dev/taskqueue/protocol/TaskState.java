package dev.taskqueue.protocol;

import java.util.Set;

import org.springframework.util.Assert;

/**
 * A task state as Celery names it: one of the built-in states or a custom one such as
 * {@code PROGRESS}. Compared by name.
 *
 * @param name the state name, as stored in the {@code status} field
 */
public record TaskState(String name) {

	/** Unknown or waiting: never stored, the absence of a result means pending. */
	public static final TaskState PENDING = new TaskState("PENDING");

	/** A worker received the task. */
	public static final TaskState RECEIVED = new TaskState("RECEIVED");

	/** A worker started the task (stored only when the task tracks it). */
	public static final TaskState STARTED = new TaskState("STARTED");

	/** The task returned; final. */
	public static final TaskState SUCCESS = new TaskState("SUCCESS");

	/** The task raised; final. */
	public static final TaskState FAILURE = new TaskState("FAILURE");

	/** The task is to be retried. */
	public static final TaskState RETRY = new TaskState("RETRY");

	/** The task was revoked or expired; final. */
	public static final TaskState REVOKED = new TaskState("REVOKED");

	private static final Set<String> READY = Set.of("SUCCESS", "FAILURE", "REVOKED");

	private static final Set<String> EXCEPTION = Set.of("FAILURE", "RETRY", "REVOKED");

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
		return READY.contains(this.name);
	}

	/** Whether the result of this state is an exception: FAILURE, RETRY or REVOKED. */
	public boolean isException() {
		return EXCEPTION.contains(this.name);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
