package dev.taskqueue.worker;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * A task this worker can run: a {@code @CeleryTask} method of a bean and its options.
 *
 * @param name the task name
 * @param bean the bean (possibly a proxy) the method is invoked on
 * @param method the method, invocable on the bean
 * @param queue the queue the task is routed to by default, or {@code null}
 * @param ignoreResult whether the result is not stored
 * @param trackStarted whether STARTED is stored when the task begins
 * @param acksLate whether the message is acknowledged after the task finished
 */
public record TaskEndpoint(String name, Object bean, Method method, @Nullable String queue, boolean ignoreResult,
		boolean trackStarted, boolean acksLate) {

	/** The method as {@code Class.method}, for messages. */
	public String describe() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

}
