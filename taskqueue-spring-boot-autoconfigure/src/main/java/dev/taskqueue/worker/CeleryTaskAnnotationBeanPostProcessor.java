package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

import dev.taskqueue.core.CeleryTask;

/**
 * Finds {@link CeleryTask @CeleryTask} methods on beans and registers them in the
 * {@link TaskRegistry}, the way {@code @RabbitListener} methods become endpoints.
 */
public class CeleryTaskAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final Supplier<TaskRegistry> registry;

	/**
	 * Create a post-processor that registers into the given registry.
	 * @param registry the registry
	 */
	public CeleryTaskAnnotationBeanPostProcessor(TaskRegistry registry) {
		this(() -> registry);
	}

	/**
	 * Create a post-processor that looks the registry up when it first finds a task, so that
	 * declaring the post-processor does not create the registry early.
	 * @param registry supplies the registry
	 */
	public CeleryTaskAnnotationBeanPostProcessor(Supplier<TaskRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, CeleryTask> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<CeleryTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CeleryTask.class));
		if (!annotated.isEmpty()) {
			TaskRegistry registry = this.registry.get();
			annotated.forEach((method, annotation) -> registry.register(endpoint(bean, targetClass, method, annotation)));
		}
		return bean;
	}

	private static TaskEndpoint endpoint(Object bean, Class<?> targetClass, Method method, CeleryTask annotation) {
		String name = StringUtils.hasText(annotation.name()) ? annotation.name()
				: targetClass.getName() + "." + method.getName();
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		invocable.trySetAccessible();
		String queue = StringUtils.hasText(annotation.queue()) ? annotation.queue() : null;
		return new TaskEndpoint(name, bean, invocable, queue, annotation.ignoreResult(), annotation.trackStarted(),
				annotation.acksLate());
	}

}
