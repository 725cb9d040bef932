package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code saferepr} of a value, as its worker shows a task's return value in the
 * {@code task-succeeded} event: Python's {@code repr} of the value as a Python worker would
 * see it after JSON decoding ({@code 5}, {@code 'done'}, {@code [1, 2]}, {@code None}), cut
 * after {@value #RESULT_MAX_LENGTH} characters like the {@code argsrepr} header.
 */
public final class SafeRepr {

	/** Celery's {@code Task.resultrepr_maxsize}. */
	public static final int RESULT_MAX_LENGTH = 1024;

	private SafeRepr() {
	}

	/**
	 * Return the repr of a task's result, at most about {@value #RESULT_MAX_LENGTH}
	 * characters.
	 * @param value the value
	 * @return the repr
	 */
	public static String result(@Nullable Object value) {
		return of(value, RESULT_MAX_LENGTH);
	}

	/**
	 * Return the repr of a value, at most about {@code maxLength} characters (the closing
	 * brackets of containers cut short follow).
	 * @param value the value
	 * @param maxLength the length after which the repr stops
	 * @return the repr
	 */
	public static String of(@Nullable Object value, int maxLength) {
		return PythonRepr.saferepr(value, maxLength);
	}

}
