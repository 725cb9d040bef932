package dev.taskqueue.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.metrics.PublishMetrics;
import dev.taskqueue.metrics.TaskMetrics;
import dev.taskqueue.metrics.WorkerMetrics;
import dev.taskqueue.worker.TaskLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskQueueMetricsAutoConfiguration}.
 */
class TaskQueueMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueMetricsAutoConfiguration.class))
		.withUserConfiguration(MetricsConfiguration.class);

	@Test
	void tasksSentAndRunAreCountedAndTimedAndTheWorkerIsGauged() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PublishMetrics.class)
				.hasSingleBean(TaskMetrics.class)
				.hasSingleBean(WorkerMetrics.class)
				.hasSingleBean(TaskLog.class);
			assertThat(context.getBean(TaskOperations.class).send("metrics.add", 1, 2).get(Duration.ofSeconds(10)))
				.isEqualTo(3);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(WorkerMetrics.class).bindTo(registry);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find("taskqueue.task.succeeded").tag("task", "metrics.add")
					.counter()).isNotNull().satisfies((counter) -> assertThat(counter.count()).isEqualTo(1)));
			assertThat(registry.find("taskqueue.task.execution").tag("state", "SUCCESS").timer().count()).isEqualTo(1);
			assertThat(registry.find("taskqueue.task.publish").tag("task", "metrics.add").timer().count()).isEqualTo(1);
			assertThat(registry.find("taskqueue.worker.prefetch").gauge().value()).isEqualTo(
					Runtime.getRuntime().availableProcessors() * 4);
			assertThat(registry.find("taskqueue.worker.tasks.held").gauge().value()).isZero();
		});
	}

	@Test
	void withoutAMeterRegistryThereAreNoMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
					TaskQueueWorkerAutoConfiguration.class, TaskQueueMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskMetrics.class)
				.doesNotHaveBean(PublishMetrics.class)
				.hasSingleBean(TaskLog.class));
	}

	@Test
	void withoutMicrometerThereAreNoMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskMetrics.class));
	}

	@Test
	void withoutAWorkerOnlyPublishingIsMeasured() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(PublishMetrics.class)
				.doesNotHaveBean(TaskMetrics.class)
				.doesNotHaveBean(WorkerMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		MetricsTasks metricsTasks() {
			return new MetricsTasks();
		}

	}

	static class MetricsTasks {

		@CeleryTask(name = "metrics.add")
		int add(int x, int y) {
			return x + y;
		}

	}

}
