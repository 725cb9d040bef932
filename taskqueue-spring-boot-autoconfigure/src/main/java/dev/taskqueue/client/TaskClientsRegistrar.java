package dev.taskqueue.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the clients {@link EnableTaskClients} names.
 */
class TaskClientsRegistrar implements ImportBeanDefinitionRegistrar {

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	TaskClientsRegistrar(Environment environment, ResourceLoader resourceLoader) {
		this.environment = environment;
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		AnnotationAttributes attributes = AnnotationAttributes
			.fromMap(metadata.getAnnotationAttributes(EnableTaskClients.class.getName()));
		if (attributes == null) {
			return;
		}
		List<String> packages = new ArrayList<>(Arrays.asList(attributes.getStringArray("basePackages")));
		for (Class<?> type : attributes.getClassArray("basePackageClasses")) {
			packages.add(type.getPackageName());
		}
		Class<?>[] clients = attributes.getClassArray("clients");
		if (packages.isEmpty() && clients.length == 0) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		TaskClientRegistrations registrations = new TaskClientRegistrations(registry, this.environment,
				this.resourceLoader);
		registrations.markExplicit();
		registrations.scan(packages);
		for (Class<?> client : clients) {
			registrations.register(client);
		}
	}

}
