package dev.taskqueue.client;

import java.lang.reflect.Method;

import dev.taskqueue.TaskQueueException;

/**
 * Thrown when a {@link TaskClient} interface declares a method that cannot send a task: two
 * parameters for one keyword, an unsupported return type, an invalid option. The message
 * names the interface and the method; the application does not start.
 */
public class TaskClientDeclarationException extends TaskQueueException {

	private final String methodName;

	/**
	 * Create an exception.
	 * @param method the method declared wrongly
	 * @param problem what is wrong with it
	 */
	public TaskClientDeclarationException(Method method, String problem) {
		super("Task client method " + describe(method) + " is invalid: " + problem);
		this.methodName = describe(method);
	}

	/**
	 * Return the method declared wrongly, as {@code Interface.method(ParameterTypes)}.
	 * @return the method
	 */
	public String getMethodName() {
		return this.methodName;
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getName() + "." + signature(method);
	}

	/**
	 * Return a method as {@code name(ParameterTypes)}, with simple type names.
	 * @param method the method
	 * @return its signature
	 */
	static String signature(Method method) {
		StringBuilder text = new StringBuilder(method.getName()).append('(');
		Class<?>[] parameters = method.getParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			text.append((i > 0) ? ", " : "").append(parameters[i].getSimpleName());
		}
		return text.append(')').toString();
	}

}
