package dev.taskqueue.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.metrics.PublishMetrics;
import dev.taskqueue.metrics.TaskMetrics;
import dev.taskqueue.metrics.WorkerMetrics;
import dev.taskqueue.worker.WorkerContainer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the Micrometer meters of taskqueue when the application has a {@link MeterRegistry}:
 * the publish timer and sent counter of the template, and, with a worker, the task counters,
 * the execution timer and the worker and queue-length gauges.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, Broker.class })
public final class TaskQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PublishMetrics taskQueuePublishMetrics(MeterRegistry registry) {
		return new PublishMetrics(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(WorkerContainer.class)
	static class WorkerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TaskMetrics taskQueueTaskMetrics(MeterRegistry registry) {
			return new TaskMetrics(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerMetrics taskQueueWorkerMetrics(WorkerContainer worker, Broker broker) {
			return new WorkerMetrics(worker.control(), (broker instanceof BrokerAdmin admin) ? admin : null);
		}

	}

}
