package dev.taskqueue.worker;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A task this worker can run: a {@code @CeleryTask} method of a bean and how it runs.
 *
 * @param name the task name
 * @param bean the bean (possibly a proxy) the method is invoked on
 * @param method the method, invocable on the bean
 * @param queue the queue the task is routed to by default, or {@code null}
 * @param settings how the worker runs the task
 */
public record TaskEndpoint(String name, Object bean, Method method, @Nullable String queue, TaskSettings settings) {

	public TaskEndpoint {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(settings, "'settings' must not be null");
	}

	/** The method as {@code Class.method}, for messages. */
	public String describe() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

	/**
	 * Return this task with other settings, as a remote-control command changes them.
	 * @param settings the new settings
	 * @return the task with the settings
	 */
	public TaskEndpoint withSettings(TaskSettings settings) {
		return new TaskEndpoint(this.name, this.bean, this.method, this.queue, settings);
	}

}
