package dev.taskqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.control.PidboxNode;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.control.WorkerCommands;
import dev.taskqueue.events.WorkerEventControl;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Celery's remote control: the {@link TaskQueueControl} client, which the template also
 * broadcasts its revokes through (so that Python workers honour them), and, with a worker,
 * the mailbox on which it answers {@code celery inspect} and {@code celery control}. Off
 * with {@code taskqueue.control.enabled=false}; {@code shutdown} is refused unless
 * {@code taskqueue.control.allow-shutdown=true}.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "taskqueue.control.enabled", matchIfMissing = true)
@ConditionalOnBean(BroadcastTransport.class)
public final class TaskQueueControlAutoConfiguration {

	// no destroy method: closing the application must not send anything to the workers
	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	TaskQueueControl taskQueueControl(BroadcastTransport transport, LamportClock clock,
			TaskQueueProperties properties) {
		return new TaskQueueControl(transport, clock, properties.getControl().getExchange());
	}

	@Bean
	TaskTemplateCustomizer taskQueueRevokeBroadcast(TaskQueueControl control) {
		return (template) -> template.setRevokeBroadcaster(control);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(WorkerContainer.class)
	static class WorkerMailboxConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WorkerCommands taskQueueWorkerCommands(WorkerContainer worker, LamportClock clock,
				TaskQueueProperties properties, Broker broker, ResultBackend backend,
				ObjectProvider<WorkerEventControl> events, ConfigurableApplicationContext context) {
			WorkerCommands commands = new WorkerCommands(worker.control(), clock);
			commands.setQueues(TaskQueueRouting.queues(properties).values());
			commands.setConfiguration(configuration(properties, worker.settings(), broker, backend));
			commands.setEventControl(events.getIfUnique());
			if (properties.getControl().isAllowShutdown()) {
				commands.setShutdown(() -> SpringApplication.exit(context));
			}
			return commands;
		}

		@Bean
		RunningLifecycle taskQueueWorkerMailbox(BroadcastTransport transport, LamportClock clock,
				WorkerContainer worker, WorkerCommands commands, TaskQueueProperties properties) {
			PidboxNode node = new PidboxNode(transport, clock, worker.hostname(), properties.getControl().getExchange(),
					commands.commands());
			return new RunningLifecycle(node::start, node::close);
		}

		// what celery inspect conf shows: anyone who can publish to the broker reads it, so
		// URLs are the masked ones and nothing else that could be secret goes in
		private static Map<String, Object> configuration(TaskQueueProperties properties, WorkerSettings settings,
				Broker broker, ResultBackend backend) {
			Map<String, Object> configuration = new LinkedHashMap<>();
			configuration.put("broker_url", broker.url());
			configuration.put("result_backend", backend.url());
			configuration.put("task_default_queue", properties.getDefaultQueue());
			configuration.put("task_acks_late", properties.getTask().isAcksLate());
			configuration.put("worker_concurrency", settings.concurrency());
			configuration.put("worker_prefetch_multiplier", settings.prefetchMultiplier());
			configuration.put("worker_send_task_events", properties.getWorker().isSendTaskEvents());
			configuration.put("control_exchange", properties.getControl().getExchange());
			configuration.put("event_exchange", properties.getEvents().getExchange());
			return configuration;
		}

	}

}
