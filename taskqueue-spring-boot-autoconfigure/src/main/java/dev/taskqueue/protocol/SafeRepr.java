package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code saferepr} of a single value, such as a task's result in the worker's log
 * line {@code Task tasks.add[id] succeeded in 0.001s: 5} or in a {@code task-succeeded}
 * event: Python's {@code repr} of the value as a Python client would see it after JSON
 * decoding, stopped after about {@code maxLength} characters.
 */
public final class SafeRepr {

	private SafeRepr() {
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
