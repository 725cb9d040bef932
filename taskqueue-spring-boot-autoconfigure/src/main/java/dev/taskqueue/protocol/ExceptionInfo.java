package dev.taskqueue.protocol;

import java.util.List;

/**
 * An exception as Celery's JSON result backends store it:
 * {@code {"exc_type", "exc_message": [args...], "exc_module"}}.
 *
 * @param type the exception class name ({@code exc_type})
 * @param message the exception's arguments ({@code exc_message})
 * @param module the module or package of the class ({@code exc_module})
 */
public record ExceptionInfo(String type, List<Object> message, String module) {

	/**
	 * Describe a Java exception the way a Python client can rebuild it: the simple class
	 * name as type, the package as module, the message as the only argument.
	 * @param ex the exception
	 * @return its description
	 */
	public static ExceptionInfo of(Throwable ex) {
		Class<?> type = ex.getClass();
		String message = ex.getMessage();
		return new ExceptionInfo(type.getSimpleName(), (message != null) ? List.of(message) : List.of(),
				type.getPackageName());
	}

	/**
	 * An exception of one of Celery's or Python's own classes.
	 * @param module the Python module, such as {@code builtins} or {@code celery.exceptions}
	 * @param type the class name
	 * @param message the single argument
	 * @return the description
	 */
	public static ExceptionInfo python(String module, String type, String message) {
		return new ExceptionInfo(type, List.of(message), module);
	}

	/** The exception's arguments as one line, as {@code str(exc)} would show them. */
	public String text() {
		if (this.message.size() == 1) {
			return String.valueOf(this.message.get(0));
		}
		return this.message.toString();
	}

	@Override
	public String toString() {
		return this.type + ": " + text();
	}

}
