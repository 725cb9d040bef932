package dev.taskqueue.autoconfigure;

import dev.taskqueue.worker.WorkerContainer;

/**
 * Customizes the auto-configured {@link WorkerContainer} before it starts. Beans of this type
 * are applied in their {@link org.springframework.core.annotation.Order order}, after the
 * properties and the application's {@link org.springframework.core.task.TaskDecorator}.
 */
@FunctionalInterface
public interface WorkerContainerCustomizer {

	/**
	 * Customize the worker.
	 * @param container the worker
	 */
	void customize(WorkerContainer container);

}
