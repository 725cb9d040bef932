package dev.taskqueue.autoconfigure.actuate;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.actuate.TaskQueueDescriptor;
import dev.taskqueue.actuate.TaskQueueEndpoint;
import dev.taskqueue.actuate.TaskQueueEndpointWebExtension;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.protocol.JsonMessageCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskQueueEndpointAutoConfiguration}.
 */
class TaskQueueEndpointAutoConfigurationTests {

	private static final String EXPOSE = "management.endpoints.web.exposure.include=taskqueue";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueEndpointAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.hostname=celery@box", "taskqueue.worker.concurrency=2");

	@Test
	void endpointIsAutoConfiguredWhenExposed() {
		this.contextRunner.withPropertyValues(EXPOSE).withBean(Tasks.class).run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueEndpoint.class);
			TaskQueueDescriptor descriptor = context.getBean(TaskQueueEndpoint.class).taskQueue();
			assertThat(descriptor.node()).isEqualTo("celery@box");
			assertThat(descriptor.running()).isTrue();
			assertThat(descriptor.broker()).isEqualTo("memory://");
			assertThat(descriptor.queues()).containsExactly("celery");
			assertThat(descriptor.concurrency()).isEqualTo(2);
			assertThat(descriptor.prefetchCount()).isEqualTo(8);
			assertThat(descriptor.registeredTasks()).containsExactly("sample.ping");
		});
	}

	@Test
	void argumentsAreHiddenByDefault() {
		this.contextRunner.withPropertyValues(EXPOSE).run((context) -> {
			assertThat(context.getBean(TaskQueueEndpointProperties.class).getShowValues()).isEqualTo(Show.NEVER);
			assertThat(context.getBean(TaskQueueEndpointProperties.class).getRoles()).isEmpty();
			assertThat(context.getBean(TaskQueueEndpoint.class)).hasFieldOrPropertyWithValue("showValues", Show.NEVER);
			assertThat(context.getBean(TaskQueueEndpointWebExtension.class))
				.hasFieldOrPropertyWithValue("showValues", Show.NEVER);
		});
	}

	@Test
	void showValuesAndRolesAreBound() {
		this.contextRunner
			.withPropertyValues(EXPOSE, "management.endpoint.taskqueue.show-values=when-authorized",
					"management.endpoint.taskqueue.roles=OPS,ADMIN")
			.run((context) -> {
				TaskQueueEndpointProperties properties = context.getBean(TaskQueueEndpointProperties.class);
				assertThat(properties.getShowValues()).isEqualTo(Show.WHEN_AUTHORIZED);
				assertThat(properties.getRoles()).containsExactly("OPS", "ADMIN");
				assertThat(context.getBean(TaskQueueEndpoint.class))
					.hasFieldOrPropertyWithValue("showValues", Show.WHEN_AUTHORIZED);
				assertThat(context.getBean(TaskQueueEndpointWebExtension.class))
					.hasFieldOrPropertyWithValue("showValues", Show.WHEN_AUTHORIZED)
					.hasFieldOrPropertyWithValue("roles", Set.of("OPS", "ADMIN"));
			});
	}

	@Test
	void webExtensionIsNotAutoConfiguredWhenExposedOverJmxOnly() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=taskqueue")
			.run((context) -> assertThat(context).hasSingleBean(TaskQueueEndpoint.class)
				.doesNotHaveBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void endpointWorksWithoutWorker() {
		this.contextRunner.withPropertyValues(EXPOSE, "taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueEndpoint.class);
			TaskQueueDescriptor descriptor = context.getBean(TaskQueueEndpoint.class).taskQueue();
			assertThat(descriptor.node()).isNull();
			assertThat(descriptor.running()).isFalse();
			assertThat(descriptor.broker()).isEqualTo("memory://");
			assertThat(descriptor.backend()).isEqualTo("memory://");
			assertThat(descriptor.registeredTasks()).isEmpty();
		});
	}

	@Test
	void endpointIsNotAutoConfiguredWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Test
	void endpointIsNotAutoConfiguredWhenAccessIsNone() {
		this.contextRunner.withPropertyValues(EXPOSE, "management.endpoint.taskqueue.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Test
	void endpointIsNotAutoConfiguredWithoutActuator() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Test
	void endpointIsNotAutoConfiguredWithoutBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueEndpointAutoConfiguration.class))
			.withPropertyValues(EXPOSE)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueEndpoint.class));
	}

	@Test
	void endpointBacksOffForUserBean() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withBean("customEndpoint", TaskQueueEndpoint.class,
					() -> new TaskQueueEndpoint(new InMemoryBroker(new JsonMessageCodec()), null, null, null, null,
							Show.ALWAYS))
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskQueueEndpoint.class).hasBean("customEndpoint");
				assertThat(context.getBean(TaskQueueEndpoint.class).taskQueue().node()).isNull();
			});
	}

	static class Tasks {

		@CeleryTask(name = "sample.ping")
		String ping() {
			return "pong";
		}

	}

}
