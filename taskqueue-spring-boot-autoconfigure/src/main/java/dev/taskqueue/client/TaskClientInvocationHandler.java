package dev.taskqueue.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskOperations;

/**
 * Turns calls on a task client proxy into task sends; default methods run as written, and
 * {@code equals}, {@code hashCode} and {@code toString} are the proxy's own.
 */
final class TaskClientInvocationHandler implements InvocationHandler {

	private final Class<?> client;

	private final Map<Method, ClientMethod> methods;

	private final TaskOperations tasks;

	TaskClientInvocationHandler(Class<?> client, Map<Method, ClientMethod> methods, TaskOperations tasks) {
		this.client = client;
		this.methods = methods;
		this.tasks = tasks;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		ClientMethod clientMethod = this.methods.get(method);
		if (clientMethod != null) {
			return clientMethod.call(this.tasks, args);
		}
		if (method.isDefault()) {
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		return switch (method.getName()) {
			case "equals" -> args != null && proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			case "toString" -> "TaskClient[" + this.client.getName() + "]";
			default -> throw new IllegalStateException("No task for " + method);
		};
	}

}
