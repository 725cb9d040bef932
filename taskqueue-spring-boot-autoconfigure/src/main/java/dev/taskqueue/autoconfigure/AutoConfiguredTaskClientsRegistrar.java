package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

import dev.taskqueue.client.TaskClientRegistrations;

/**
 * Registers the {@code @TaskClient} interfaces of the application's packages (those
 * {@code @SpringBootApplication} or {@code @AutoConfigurationPackage} name), unless
 * {@code @EnableTaskClients} chose the clients.
 */
class AutoConfiguredTaskClientsRegistrar
		implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

	private BeanFactory beanFactory;

	private Environment environment;

	private ResourceLoader resourceLoader;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		TaskClientRegistrations registrations = new TaskClientRegistrations(registry, this.environment,
				this.resourceLoader);
		if (!registrations.explicit() && AutoConfigurationPackages.has(this.beanFactory)) {
			registrations.scan(AutoConfigurationPackages.get(this.beanFactory));
		}
	}

}
