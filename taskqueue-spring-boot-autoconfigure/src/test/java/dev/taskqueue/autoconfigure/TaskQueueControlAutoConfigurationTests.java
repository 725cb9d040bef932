package dev.taskqueue.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.EventReceiver;
import dev.taskqueue.events.TaskEventSender;
import dev.taskqueue.events.TaskQuery;
import dev.taskqueue.events.TaskSnapshot;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskQueueControlAutoConfiguration} and
 * {@link TaskQueueEventsAutoConfiguration}, on the in-memory broker.
 */
class TaskQueueControlAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
				TaskQueueEventsAutoConfiguration.class))
		.withUserConfiguration(ControlTasksConfiguration.class)
		.withPropertyValues("taskqueue.worker.hostname=control@test");

	@Test
	void theWorkerAnswersRemoteControlAndShutdownIsRefusedByDefault() {
		this.contextRunner.run((context) -> {
			TaskQueueControl control = context.getBean(TaskQueueControl.class);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(control.inspect().ping()).containsKey("control@test"));
			assertThat(control.inspect().registered().get("control@test")).contains("control.add");
			Map<String, Object> refused = control.broadcast("shutdown", Map.of(), true, Duration.ofMillis(500),
					List.of("control@test"));
			assertThat(refused).isEmpty();
			assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
			Map<String, ControlReply> limited = control.rateLimit("control.add", "10/s");
			assertThat(limited.get("control@test").ok()).isEqualTo("new rate limit set successfully");
		});
	}

	@Test
	void taskEventsAreSentWhenEnabledAndWorkerEventsAlways() {
		this.contextRunner.withPropertyValues("taskqueue.worker.send-task-events=true",
				"taskqueue.events.heartbeat-interval=200ms")
			.run((context) -> {
				BroadcastTransport transport = context.getBean(BroadcastTransport.class);
				List<String> events = new CopyOnWriteArrayList<>();
				try (BroadcastTransport.Subscription subscription = transport.subscribe(
						new BroadcastExchange("celeryev", ExchangeType.TOPIC, true),
						new BroadcastQueue("celeryev.test", "#", Map.of()), (routingKey, message) -> events
							.add(routingKey + " " + new String(message.body(), StandardCharsets.UTF_8)))) {
					assertThat(context.getBean(TaskOperations.class).send("control.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
					await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events)
						.anySatisfy((event) -> assertThat(event).startsWith("worker.heartbeat ")
							.contains("\"hostname\": \"control@test\""))
						.anySatisfy((event) -> assertThat(event).startsWith("task.multi ")
							.contains("\"type\": \"task-succeeded\"")
							.contains("\"result\": \"3\"")));
				}
			});
	}

	@Test
	void clientsSendTaskSentWhenAskedTo() {
		this.contextRunner.withPropertyValues("taskqueue.task.send-sent-event=true").run((context) -> {
			BroadcastTransport transport = context.getBean(BroadcastTransport.class);
			List<String> events = new CopyOnWriteArrayList<>();
			try (BroadcastTransport.Subscription subscription = transport.subscribe(
					new BroadcastExchange("celeryev", ExchangeType.TOPIC, true),
					new BroadcastQueue("celeryev.sent", "task.sent", Map.of()), (routingKey, message) -> events
						.add(new String(message.body(), StandardCharsets.UTF_8)))) {
				String id = context.getBean(TaskOperations.class).send("control.add", 1, 2).id();
				await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events).singleElement()
					.satisfies((event) -> assertThat(event).contains("\"uuid\": \"" + id + "\"")
						.contains("\"type\": \"task-sent\"")
						.contains("\"routing_key\": \"celery\"")));
			}
		});
	}

	@Test
	void theFleetsEventsAreReceivedWhenAskedTo() {
		this.contextRunner.withPropertyValues("taskqueue.events.receive=true", "taskqueue.worker.send-task-events=true",
				"taskqueue.events.heartbeat-interval=200ms")
			.run((context) -> {
				ClusterState state = context.getBean(ClusterState.class);
				String id = context.getBean(TaskOperations.class).send("control.add", 2, 2).id();
				await().atMost(TIMEOUT).untilAsserted(() -> {
					assertThat(state.worker("control@test"))
						.hasValueSatisfying((worker) -> assertThat(worker.alive()).isTrue());
					assertThat(state.task(id)).hasValueSatisfying((task) -> assertThat(task.state()).isEqualTo("SUCCESS"));
				});
			});
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ClusterState.class));
	}

	@Test
	void theDashboardReceivesTheFleetsEventsAndKeepsItsNumberOfTasks() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.max-tasks=2",
				"taskqueue.worker.send-task-events=true")
			.run((context) -> {
				ClusterState state = context.getBean(ClusterState.class);
				assertThat(context).hasSingleBean(EventReceiver.class);
				TaskOperations tasks = context.getBean(TaskOperations.class);
				List<String> ids = new ArrayList<>();
				// one task at a time, each seen succeeded (its last event) before the next is sent:
				// interleaved events would let a late one bring back a task dropped already
				for (int i = 1; i <= 3; i++) {
					String id = tasks.send("control.add", i, i).id();
					ids.add(id);
					await().atMost(TIMEOUT).untilAsserted(() -> assertThat(state.task(id))
						.hasValueSatisfying((task) -> assertThat(task.state()).isEqualTo("SUCCESS")));
				}
				assertThat(state.tasks(TaskQuery.all())).extracting(TaskSnapshot::uuid)
					.containsExactlyInAnyOrder(ids.get(1), ids.get(2));
			});
	}

	@Test
	void taskEventsAreOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context.getBean(TaskEventSender.class).isEnabled()).isFalse());
	}

	@Test
	void closingTheApplicationSendsNothingToTheWorkers() {
		this.contextRunner.run((context) -> assertThat(context.getBeanFactory()
			.getBeanDefinition("taskQueueControl").getDestroyMethodName()).isEmpty());
	}

	@Test
	void remoteControlCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("taskqueue.control.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueControl.class)
				.doesNotHaveBean("taskQueueWorkerMailbox"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ControlTasksConfiguration {

		@Bean
		ControlTasks controlTasks() {
			return new ControlTasks();
		}

	}

	static class ControlTasks {

		@CeleryTask(name = "control.add")
		int add(int x, int y) {
			return x + y;
		}

	}

}
