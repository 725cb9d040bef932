package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.taskqueue.client.TaskClientProxyFactory;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for declarative task clients: the {@link TaskClientProxyFactory}, and the
 * {@link dev.taskqueue.client.TaskClient @TaskClient} interfaces of the application's packages
 * as beans (unless {@link dev.taskqueue.client.EnableTaskClients @EnableTaskClients} names
 * them). With {@code taskqueue.client.verify=true}, the workers are asked once the
 * application is ready, and every {@code taskqueue.client.verify-interval} when set, whether
 * they register the clients' tasks.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueEagerAutoConfiguration.class,
		TaskQueueControlAutoConfiguration.class })
@ConditionalOnBean(TaskOperations.class)
@Import(AutoConfiguredTaskClientsRegistrar.class)
public final class TaskQueueClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskClientProxyFactory taskClientProxyFactory(TaskOperations tasks, TaskQueueProperties properties,
			ConfigurableBeanFactory beanFactory) {
		return TaskClientProxyFactory.builder(tasks)
			.defaultTimeout(properties.getClient().getDefaultTimeout())
			.embeddedValueResolver(new EmbeddedValueResolver(beanFactory))
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("taskqueue.client.verify")
	static class VerificationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(TaskQueueControl.class)
		TaskClientVerifier taskClientVerifier(TaskClientProxyFactory clients, TaskQueueControl control,
				TaskQueueProperties properties) {
			return new TaskClientVerifier(clients, control, properties.getClient().getVerifyTimeout());
		}

		@Bean
		TaskClientReadyCheck taskClientReadyCheck(ObjectProvider<TaskClientVerifier> verifier,
				TaskQueueProperties properties) {
			return new TaskClientReadyCheck(verifier.getIfUnique(), properties.getClient().getVerifyInterval());
		}

	}

}
