package dev.taskqueue.client;

import java.util.Collection;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers {@link TaskClient} interfaces as beans: each bean is made by the context's
 * {@link TaskClientProxyFactory} during start-up, so a client declared wrongly stops the
 * application. The bean name is the interface's fully qualified name. Used by
 * {@link EnableTaskClients} and by the auto-configuration.
 */
public final class TaskClientRegistrations {

	private static final String EXPLICIT_MARKER = EnableTaskClients.class.getName() + ".present";

	private final BeanDefinitionRegistry registry;

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	/**
	 * Create registrations into a registry.
	 * @param registry where the bean definitions go
	 * @param environment the environment, for the scan's conditions
	 * @param resourceLoader loads the scanned classes
	 */
	public TaskClientRegistrations(BeanDefinitionRegistry registry, Environment environment,
			ResourceLoader resourceLoader) {
		this.registry = registry;
		this.environment = environment;
		this.resourceLoader = resourceLoader;
	}

	/**
	 * Return whether {@link EnableTaskClients} chose the clients, so that the
	 * auto-configuration does not scan.
	 * @return whether clients are registered explicitly
	 */
	public boolean explicit() {
		return this.registry.containsBeanDefinition(EXPLICIT_MARKER);
	}

	void markExplicit() {
		if (!explicit()) {
			this.registry.registerBeanDefinition(EXPLICIT_MARKER, new RootBeanDefinition(Object.class));
		}
	}

	/**
	 * Register every {@code @TaskClient} interface of these packages and their sub-packages.
	 * @param basePackages the packages
	 */
	public void scan(Collection<String> basePackages) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				this.environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		scanner.setResourceLoader(this.resourceLoader);
		scanner.addIncludeFilter(new AnnotationTypeFilter(TaskClient.class, true, true));
		for (String basePackage : basePackages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					register(ClassUtils.resolveClassName(className, this.resourceLoader.getClassLoader()));
				}
			}
		}
	}

	/**
	 * Register one client interface, unless a bean of its name is registered already.
	 * @param client the {@code @TaskClient} interface
	 */
	public void register(Class<?> client) {
		// the scan also finds interfaces annotated with an annotation that carries @TaskClient
		if (!client.isInterface() || !AnnotatedElementUtils.hasAnnotation(client, TaskClient.class)) {
			throw new IllegalArgumentException(client.getName() + " is not an interface annotated with @TaskClient");
		}
		if (this.registry.containsBeanDefinition(client.getName())) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(TaskClientFactoryBean.class);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, client);
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, client);
		this.registry.registerBeanDefinition(client.getName(), definition);
	}

}
