package dev.taskqueue.control;

import dev.taskqueue.TaskQueueException;

/**
 * A remote-control command failed or was called with wrong arguments. The reply carries it
 * as Celery does: {@code {"error": "<type>('<message>')"}}, such as
 * {@code KeyError('nosuchcmd')}.
 */
public class ControlCommandException extends TaskQueueException {

	private final String pythonType;

	/**
	 * Create an exception.
	 * @param pythonType the Python exception type named in the reply, such as
	 * {@code KeyError} or {@code ValueError}
	 * @param message the message
	 */
	public ControlCommandException(String pythonType, String message) {
		super(message);
		this.pythonType = pythonType;
	}

	/**
	 * Return the Python exception type named in the reply.
	 * @return the type name
	 */
	public String getPythonType() {
		return this.pythonType;
	}

}
