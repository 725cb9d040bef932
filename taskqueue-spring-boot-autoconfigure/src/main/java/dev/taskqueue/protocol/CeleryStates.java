package dev.taskqueue.protocol;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Celery's built-in task state names, as stored in a result's {@code status} field, and which
 * of them are final or carry an exception. The one place these facts live: the result model
 * and the public {@code TaskState} both read them from here.
 */
public final class CeleryStates {

	/** Unknown or waiting: never stored, the absence of a result means pending. */
	public static final String PENDING = "PENDING";

	/** A worker received the task. */
	public static final String RECEIVED = "RECEIVED";

	/** A worker started the task (stored only when the task tracks it). */
	public static final String STARTED = "STARTED";

	/** The task returned; final. */
	public static final String SUCCESS = "SUCCESS";

	/** The task raised; final. */
	public static final String FAILURE = "FAILURE";

	/** The task is to be retried. */
	public static final String RETRY = "RETRY";

	/** The task was revoked or expired; final. */
	public static final String REVOKED = "REVOKED";

	/** The final states, as Celery's {@code READY_STATES}. */
	public static final Set<String> READY = Set.of(SUCCESS, FAILURE, REVOKED);

	/** The states whose result is an exception, as Celery's {@code EXCEPTION_STATES}. */
	public static final Set<String> EXCEPTION = Set.of(FAILURE, RETRY, REVOKED);

	private CeleryStates() {
	}

	/**
	 * Whether the state is final.
	 * @param state a state name
	 * @return whether it is SUCCESS, FAILURE or REVOKED
	 */
	public static boolean isReady(@Nullable String state) {
		return state != null && READY.contains(state);
	}

	/**
	 * Whether the result stored with the state is an exception.
	 * @param state a state name
	 * @return whether it is FAILURE, RETRY or REVOKED
	 */
	public static boolean isException(@Nullable String state) {
		return state != null && EXCEPTION.contains(state);
	}

}
