package dev.taskqueue.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.EventDispatcher;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.TaskEventSender;
import dev.taskqueue.events.TaskSentEventSender;
import dev.taskqueue.events.WorkerHeartbeats;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Celery's monitoring events: with a worker, {@code worker-online},
 * {@code worker-heartbeat} every {@code taskqueue.events.heartbeat-interval} and
 * {@code worker-offline}, and the task events when {@code taskqueue.worker.send-task-events}
 * is on (or remote control enables them); {@code task-sent} from the template with
 * {@code taskqueue.task.send-sent-event}; with {@code taskqueue.events.receive}, the events of
 * the whole fleet received into a {@link ClusterState} (also for the dashboard, which keeps
 * {@code taskqueue.dashboard.max-tasks} tasks).
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
		TaskQueueControlAutoConfiguration.class })
@ConditionalOnBean(BroadcastTransport.class)
public final class TaskQueueEventsAutoConfiguration {

	private static EventDispatcher.Settings settings(TaskQueueProperties properties) {
		return EventDispatcher.Settings.defaults().withExchange(properties.getEvents().getExchange());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("taskqueue.task.send-sent-event")
	static class TaskSentEventsConfiguration {

		@Bean
		EventDispatcher taskQueueClientEventDispatcher(BroadcastTransport transport, LamportClock clock,
				TaskQueueProperties properties) {
			return new EventDispatcher(transport, NodeNames.client(), clock, settings(properties));
		}

		@Bean
		TaskSentEventSender taskQueueTaskSentEventSender(
				@Qualifier("taskQueueClientEventDispatcher") EventDispatcher dispatcher) {
			return new TaskSentEventSender(dispatcher);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(ReceivingCondition.class)
	static class ReceivingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterState taskQueueClusterState(TaskQueueProperties properties) {
			TaskQueueProperties.Dashboard dashboard = properties.getDashboard();
			int maxTasks = dashboard.isEnabled() ? dashboard.getMaxTasks() : ClusterState.DEFAULT_MAX_TASKS;
			return new ClusterState(maxTasks, ClusterState.DEFAULT_MAX_WORKERS, Clock.systemDefaultZone());
		}

		// wakes the workers up as Celery's receiver does: each answers with a heartbeat
		@Bean(destroyMethod = "close")
		EventReceiver taskQueueEventReceiver(BroadcastTransport transport, ClusterState state,
				TaskQueueProperties properties, ObjectProvider<TaskQueueControl> control) {
			TaskQueueControl wakeUp = control.getIfUnique();
			return new EventReceiver(transport, properties.getEvents().getExchange(), state,
					(wakeUp != null) ? wakeUp::heartbeat : null);
		}

	}

	// the dashboard is built from the fleet's events, so it receives them too
	static final class ReceivingCondition extends AnyNestedCondition {

		ReceivingCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("taskqueue.events.receive")
		static final class Receive {

		}

		@ConditionalOnBooleanProperty("taskqueue.dashboard.enabled")
		static final class Dashboard {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(WorkerContainer.class)
	static class WorkerEventsConfiguration {

		@Bean
		EventDispatcher taskQueueWorkerEventDispatcher(BroadcastTransport transport, LamportClock clock,
				WorkerSettings worker, TaskQueueProperties properties) {
			// the settings, not the container: the container takes the task event sender
			return new EventDispatcher(transport, worker.hostname(), clock, settings(properties));
		}

		@Bean
		@ConditionalOnMissingBean
		TaskEventSender taskQueueTaskEventSender(
				@Qualifier("taskQueueWorkerEventDispatcher") EventDispatcher dispatcher, TaskQueueProperties properties) {
			return new TaskEventSender(dispatcher, properties.getWorker().isSendTaskEvents());
		}

		@Bean
		RunningLifecycle taskQueueWorkerHeartbeats(
				@Qualifier("taskQueueWorkerEventDispatcher") EventDispatcher dispatcher, WorkerState state,
				TaskQueueProperties properties) {
			WorkerHeartbeats heartbeats = new WorkerHeartbeats(dispatcher,
					properties.getEvents().getHeartbeatInterval(), () -> state.activeTasks().size(),
					state::processedTotal);
			// online before the worker consumes; offline, and every event sent, once it stopped
			// and before the connections stop
			return new RunningLifecycle(heartbeats::start, () -> {
				heartbeats.stop();
				dispatcher.close();
			}, SmartLifecycle.DEFAULT_PHASE - 1);
		}

	}

}
