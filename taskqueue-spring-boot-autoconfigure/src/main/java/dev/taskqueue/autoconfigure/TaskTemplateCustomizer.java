package dev.taskqueue.autoconfigure;

import dev.taskqueue.core.TaskTemplate;

/**
 * Customizes the auto-configured {@link TaskTemplate} before it is used. Beans of this type
 * are applied in their {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface TaskTemplateCustomizer {

	/**
	 * Customize the template.
	 * @param template the template
	 */
	void customize(TaskTemplate template);

}
