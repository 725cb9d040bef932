package dev.taskqueue.autoconfigure.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.actuate.TaskQueueHealthIndicator;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskQueueHealthContributorAutoConfiguration}.
 */
class TaskQueueHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueHealthContributorAutoConfiguration.class));

	@Test
	void indicatorIsAutoConfiguredByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueHealthIndicator.class).hasBean("taskqueueHealthIndicator");
			Health health = context.getBean("taskqueueHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("broker", "memory://");
		});
	}

	@Test
	void indicatorIsNotAutoConfiguredWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.taskqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class)
				.doesNotHaveBean("taskqueueHealthIndicator"));
	}

	@Test
	void indicatorIsNotAutoConfiguredWhenDefaultsAreDisabled() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void indicatorIsNotAutoConfiguredWithoutBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void indicatorIsNotAutoConfiguredWithoutHealthModule() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("taskqueueHealthIndicator"));
	}

	@Test
	void indicatorBacksOffForUserBean() {
		this.contextRunner
			.withBean("taskqueueHealthIndicator", HealthIndicator.class,
					() -> () -> Health.outOfService().build())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class);
				assertThat(context.getBean("taskqueueHealthIndicator", HealthIndicator.class).health().getStatus())
					.isEqualTo(Status.OUT_OF_SERVICE);
			});
	}

}
