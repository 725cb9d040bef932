package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
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
class AutoConfiguredTaskClientsRegistrar implements ImportBeanDefinitionRegistrar {

	private final BeanFactory beanFactory;

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	AutoConfiguredTaskClientsRegistrar(BeanFactory beanFactory, Environment environment,
			ResourceLoader resourceLoader) {
		this.beanFactory = beanFactory;
		this.environment = environment;
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
