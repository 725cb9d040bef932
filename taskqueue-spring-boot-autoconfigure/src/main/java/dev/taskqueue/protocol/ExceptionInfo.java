package dev.taskqueue.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/**
	 * The exception as Python's {@code repr} shows it, such as {@code ValueError('boom')}.
	 * @return the repr
	 */
	public String repr() {
		StringBuilder repr = new StringBuilder(this.type).append('(');
		for (int i = 0; i < this.message.size(); i++) {
			repr.append((i > 0) ? ", " : "").append(PythonRepr.saferepr(this.message.get(i), PythonRepr.MAX_LENGTH));
		}
		return repr.append(')').toString();
	}

	/**
	 * The exception in Celery's JSON form, in Celery's key order.
	 * @return a new map of {@code exc_type}, {@code exc_message} and {@code exc_module}
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("exc_type", this.type);
		map.put("exc_message", this.message);
		map.put("exc_module", this.module);
		return map;
	}

	@Override
	public String toString() {
		return this.type + ": " + text();
	}

}
