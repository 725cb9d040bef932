package dev.taskqueue.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.actuate.TaskQueueEndpoint;
import dev.taskqueue.actuate.TaskQueueEndpointWebExtension;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueBeatAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueClientAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueControlAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEventsAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.client.TaskClientProxyFactory;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerState;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link TaskQueueEndpoint}, when it is available (access allowed and exposed). Works
 * without a worker: an application that only sends tasks gets an endpoint showing its
 * connections. The arguments of running tasks are hidden unless
 * {@code management.endpoint.taskqueue.show-values} allows them. With beat enabled, it shows
 * beat's entries, and runs one now once {@code management.endpoint.taskqueue.access} is
 * {@code unrestricted}.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
		TaskQueueBeatAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
		TaskQueueEventsAutoConfiguration.class, TaskQueueClientAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(TaskQueueEndpoint.class)
@EnableConfigurationProperties(TaskQueueEndpointProperties.class)
public final class TaskQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(Broker.class)
	TaskQueueEndpoint taskQueueEndpoint(Broker broker, ObjectProvider<ResultBackend> backend,
			ObjectProvider<WorkerContainer> worker, ObjectProvider<WorkerState> state,
			ObjectProvider<TaskRegistry> registry, ObjectProvider<BeatScheduler> beat,
			TaskQueueEndpointProperties properties, ObjectProvider<TaskQueueControl> control,
			ObjectProvider<TaskOperations> tasks, ObjectProvider<ClusterState> events,
			ObjectProvider<TaskClientProxyFactory> clients, ObjectProvider<TaskClientVerifier> clientVerifier) {
		TaskQueueEndpoint endpoint = new TaskQueueEndpoint(broker, backend.getIfUnique(), worker.getIfUnique(),
				state.getIfUnique(), registry.getIfUnique(), properties.getShowValues(), beat.getIfUnique());
		endpoint.setFleet(control.getIfUnique(), events.getIfUnique(), tasks.getIfUnique());
		endpoint.setClients(clients.getIfUnique(), clientVerifier.getIfUnique());
		return endpoint;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskQueueEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	TaskQueueEndpointWebExtension taskQueueEndpointWebExtension(TaskQueueEndpoint endpoint,
			TaskQueueEndpointProperties properties) {
		return new TaskQueueEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
	}

}
