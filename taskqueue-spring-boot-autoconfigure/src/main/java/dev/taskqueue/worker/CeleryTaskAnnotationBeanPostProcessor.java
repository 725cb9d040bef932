package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.RateLimitScope;
import dev.taskqueue.protocol.CeleryDurations;
import dev.taskqueue.routing.TaskRouter;

/**
 * Finds {@link CeleryTask @CeleryTask} methods on beans and registers them in the
 * {@link TaskRegistry}, the way {@code @RabbitListener} methods become endpoints. The
 * {@code name} and {@code queue} attributes may hold {@code ${...}} placeholders and
 * {@code #{...}} SpEL expressions. Once every singleton is created, the queue each task
 * declares is handed to every {@link TaskRouter} bean, the application's own included.
 */
public class CeleryTaskAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final Supplier<TaskRegistry> registry;

	private final List<TaskEndpoint> endpoints = new CopyOnWriteArrayList<>();

	private @Nullable ConfigurableBeanFactory beanFactory;

	private @Nullable BeanExpressionContext expressionContext;

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
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.beanFactory = configurable;
			this.expressionContext = new BeanExpressionContext(configurable, null);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, CeleryTask> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<CeleryTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CeleryTask.class));
		if (!annotated.isEmpty()) {
			TaskRegistry registry = this.registry.get();
			annotated.forEach((method, annotation) -> this.endpoints
				.add(register(registry, bean, beanName, targetClass, method, annotation)));
		}
		return bean;
	}

	/**
	 * Hand the queue of each task that declares one to every {@link TaskRouter} bean.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory == null) {
			return;
		}
		this.beanFactory.getBeanProvider(TaskRouter.class).orderedStream().forEach((router) -> {
			for (TaskEndpoint endpoint : this.endpoints) {
				String queue = endpoint.queue();
				if (queue != null) {
					router.registerTaskQueue(endpoint.name(), queue);
				}
			}
		});
	}

	private TaskEndpoint register(TaskRegistry registry, Object bean, String beanName, Class<?> targetClass,
			Method method, CeleryTask annotation) {
		String where = "@CeleryTask on bean '" + beanName + "', method " + targetClass.getSimpleName() + "."
				+ method.getName();
		String declaredName = resolve(annotation.name(), "name", where);
		String name = StringUtils.hasText(declaredName) ? declaredName : targetClass.getName() + "." + method.getName();
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		invocable.trySetAccessible();
		DeclaredTaskOptions declared = options(annotation, where);
		try {
			return registry.register(name, bean, invocable, declared);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid settings of task '" + name + "' (" + where + "): "
					+ ex.getMessage(), ex);
		}
	}

	private DeclaredTaskOptions options(CeleryTask annotation, String where) {
		String queue = resolve(annotation.queue(), "queue", where);
		return new DeclaredTaskOptions(StringUtils.hasText(queue) ? queue : null, annotation.ignoreResult() ? true : null,
				annotation.trackStarted() ? true : null, bool(annotation.acksLate(), "acksLate", where),
				bool(annotation.rejectOnWorkerLost(), "rejectOnWorkerLost", where),
				(annotation.maxRetries() != RetryPolicy.DEFAULTS.maxRetries()) ? annotation.maxRetries() : null,
				duration(annotation.defaultRetryDelay(), "defaultRetryDelay", where),
				(annotation.autoretryFor().length > 0) ? List.of(annotation.autoretryFor()) : null,
				(annotation.dontAutoretryFor().length > 0) ? List.of(annotation.dontAutoretryFor()) : null,
				(annotation.retryBackoff() != 0) ? annotation.retryBackoff() : null,
				duration(annotation.retryBackoffMax(), "retryBackoffMax", where),
				annotation.retryJitter() ? null : false, duration(annotation.timeLimit(), "timeLimit", where),
				duration(annotation.softTimeLimit(), "softTimeLimit", where), rateLimit(annotation.rateLimit(), where),
				(annotation.rateLimitScope() != RateLimitScope.WORKER) ? annotation.rateLimitScope() : null);
	}

	private @Nullable Boolean bool(String value, String attribute, String where) {
		String resolved = resolve(value, attribute, where).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		if (resolved.equalsIgnoreCase("true") || resolved.equalsIgnoreCase("false")) {
			return Boolean.valueOf(resolved);
		}
		throw new IllegalStateException("The " + attribute + " '" + value + "' of " + where
				+ " must be 'true', 'false' or empty, got '" + resolved + "'");
	}

	private @Nullable Duration duration(String value, String attribute, String where) {
		String resolved = resolve(value, attribute, where);
		try {
			return CeleryDurations.parse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("The " + attribute + " of " + where + " is invalid: " + ex.getMessage(), ex);
		}
	}

	private @Nullable RateLimit rateLimit(String value, String where) {
		String resolved = resolve(value, "rateLimit", where);
		try {
			return RateLimit.parse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("The rateLimit of " + where + " is invalid: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Resolve placeholders, then evaluate SpEL, as {@code @RabbitListener} attributes are.
	 * @param value the attribute value as declared
	 * @param attribute the attribute name, for error messages
	 * @param where the annotated method, for error messages
	 * @return the resolved value, empty when it evaluates to {@code null}
	 */
	private String resolve(String value, String attribute, String where) {
		if (this.beanFactory == null || !StringUtils.hasText(value)) {
			return value;
		}
		String resolved;
		Object evaluated;
		try {
			resolved = this.beanFactory.resolveEmbeddedValue(value);
			BeanExpressionResolver resolver = this.beanFactory.getBeanExpressionResolver();
			evaluated = (resolver != null && resolved != null) ? resolver.evaluate(resolved, this.expressionContext)
					: resolved;
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(
					"Cannot resolve " + attribute + " '" + value + "' of " + where + ": " + ex.getMessage(), ex);
		}
		if (evaluated == null) {
			return "";
		}
		if (!(evaluated instanceof CharSequence text)) {
			throw new IllegalStateException("The " + attribute + " '" + value + "' of " + where
					+ " must resolve to a String, got " + evaluated.getClass().getName());
		}
		String result = text.toString();
		if (result.contains("${")) {
			throw new IllegalStateException("Cannot resolve " + attribute + " '" + value + "' of " + where
					+ ": unresolved placeholder in '" + result + "'");
		}
		return result;
	}

}
