package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the customizers, the {@link TaskDecorator} and the shutdown bound of the worker.
 */
class TaskQueueCustomizationTests {

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class));

	@Test
	void templateCustomizersAreAppliedInOrderToTheTemplateBean() {
		this.contextRunner.withUserConfiguration(TemplateCustomizers.class).run((context) -> {
			TemplateCustomizers customizers = context.getBean(TemplateCustomizers.class);
			assertThat(customizers.seen).containsExactly("first", "second");
			assertThat(customizers.customized).containsOnly(context.getBean(TaskTemplate.class));
		});
	}

	@Test
	void workerContainerCustomizersAreAppliedToTheWorkerBean() {
		this.contextRunner.withUserConfiguration(WorkerCustomizer.class).run((context) -> {
			WorkerContainer container = context.getBean(WorkerContainer.class);
			assertThat(context.getBean(WorkerCustomizer.class).customized).containsExactly(container);
			assertThat(container.isAutoStartup()).isFalse();
			assertThat(container.isRunning()).isFalse();
		});
	}

	@Test
	void tasksRunInsideTheApplicationsTaskDecorator() {
		this.contextRunner.withUserConfiguration(TenantTasks.class, TenantDecorator.class).run((context) -> {
			Object tenant = context.getBean(TaskOperations.class).send("boot.tenant").get(Duration.ofSeconds(10));
			assertThat(tenant).isEqualTo("acme");
			assertThat(TENANT.get()).isNull();
		});
	}

	@Test
	void withoutTaskDecoratorTasksSeeNoDecoratedContext() {
		this.contextRunner.withUserConfiguration(TenantTasks.class).run((context) -> {
			Object tenant = context.getBean(TaskOperations.class).send("boot.tenant").get(Duration.ofSeconds(10));
			assertThat(tenant).isEqualTo("none");
		});
	}

	@Test
	void shutdownWaitIsBoundedByTheLifecyclePhaseTimeout() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.shutdown-timeout=5m",
					"spring.lifecycle.timeout-per-shutdown-phase=7s")
			.run((context) -> assertThat(context.getBean(WorkerSettings.class).shutdownTimeout())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void shutdownWaitKeepsTheWorkersTimeoutWhenShorter() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.shutdown-timeout=3s",
					"spring.lifecycle.timeout-per-shutdown-phase=1m")
			.run((context) -> assertThat(context.getBean(WorkerSettings.class).shutdownTimeout())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void shutdownWaitIsBoundedBySpringsDefaultPhaseTimeout() {
		this.contextRunner.withPropertyValues("taskqueue.worker.shutdown-timeout=10m")
			.run((context) -> assertThat(context.getBean(WorkerSettings.class).shutdownTimeout())
				.isEqualTo(Duration.ofSeconds(30)));
	}

	@Configuration(proxyBeanMethods = false)
	static class TemplateCustomizers {

		final List<String> seen = new ArrayList<>();

		final List<TaskTemplate> customized = new ArrayList<>();

		@Bean
		@Order(2)
		TaskTemplateCustomizer second() {
			return (template) -> record("second", template);
		}

		@Bean
		@Order(1)
		TaskTemplateCustomizer first() {
			return (template) -> record("first", template);
		}

		private void record(String name, TaskTemplate template) {
			this.seen.add(name);
			this.customized.add(template);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerCustomizer {

		final List<WorkerContainer> customized = new ArrayList<>();

		@Bean
		WorkerContainerCustomizer notAutoStarted() {
			return (container) -> {
				this.customized.add(container);
				container.setAutoStartup(false);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantDecorator {

		@Bean
		TaskDecorator tenantDecorator() {
			return (task) -> () -> {
				TENANT.set("acme");
				try {
					task.run();
				}
				finally {
					TENANT.remove();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantTasks {

		@Bean
		Tasks tenantTasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		@CeleryTask(name = "boot.tenant")
		String tenant() {
			String tenant = TENANT.get();
			return (tenant != null) ? tenant : "none";
		}

	}

}
