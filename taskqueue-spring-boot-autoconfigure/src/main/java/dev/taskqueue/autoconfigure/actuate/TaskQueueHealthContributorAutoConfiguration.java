package dev.taskqueue.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.actuate.TaskQueueHealthIndicator;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.worker.WorkerContainer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link TaskQueueHealthIndicator}, the {@code taskqueue} health component. Off with
 * {@code management.health.taskqueue.enabled=false}.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Broker.class)
@ConditionalOnEnabledHealthIndicator("taskqueue")
public final class TaskQueueHealthContributorAutoConfiguration {

	/** Name of the health indicator bean; the health component is {@code taskqueue}. */
	public static final String BEAN_NAME = "taskqueueHealthIndicator";

	@Bean(BEAN_NAME)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	TaskQueueHealthIndicator taskqueueHealthIndicator(Broker broker, ObjectProvider<ResultBackend> backend,
			ObjectProvider<WorkerContainer> worker) {
		return new TaskQueueHealthIndicator(broker, backend.getIfUnique(), worker.getIfUnique());
	}

}
