package dev.taskqueue.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link TaskQueueAutoConfiguration} and {@link TaskQueueWorkerAutoConfiguration}.
 */
class TaskQueueAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class));

	@Test
	void defaultsToInMemoryBrokerAndBackendWithWorker() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryBroker.class)
				.hasSingleBean(InMemoryResultBackend.class)
				.hasSingleBean(TaskOperations.class)
				.hasSingleBean(WorkerContainer.class);
			WorkerSettings settings = context.getBean(WorkerSettings.class);
			assertThat(settings.queues()).containsExactly("celery");
			assertThat(settings.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(settings.prefetchMultiplier()).isEqualTo(4);
			assertThat(settings.hostname()).startsWith("celery@");
			assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
		});
	}

	@Test
	void workerPropertiesAreBound() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.concurrency=3", "taskqueue.worker.prefetch-multiplier=2",
					"taskqueue.worker.queues=a,b", "taskqueue.worker.hostname=w1@box")
			.run((context) -> {
				WorkerSettings settings = context.getBean(WorkerSettings.class);
				assertThat(settings.concurrency()).isEqualTo(3);
				assertThat(settings.prefetch()).isEqualTo(6);
				assertThat(settings.queues()).containsExactly("a", "b");
				assertThat(settings.hostname()).isEqualTo("w1@box");
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void tasksRunOnVirtualThreadsWhenEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.withUserConfiguration(TasksConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean(TaskQueueWorkerAutoConfiguration.THREAD_FACTORY_BEAN_NAME);
				Object thread = context.getBean(TaskOperations.class)
					.send("demo.thread")
					.get(java.time.Duration.ofSeconds(10));
				assertThat(thread).isEqualTo(Boolean.TRUE);
			});
	}

	@Test
	void platformThreadsByDefault() {
		this.contextRunner.run((context) -> assertThat(context)
			.doesNotHaveBean(TaskQueueWorkerAutoConfiguration.THREAD_FACTORY_BEAN_NAME));
	}

	@Test
	void workerAutoStartupCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("taskqueue.worker.auto-startup=false").run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(worker.isRunning()).isFalse();
			worker.start();
			assertThat(worker.isRunning()).isTrue();
		});
	}

	@Test
	void workerCanBeDisabled() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(WorkerContainer.class).doesNotHaveBean(TaskRegistry.class);
			assertThat(context).hasSingleBean(TaskOperations.class);
		});
	}

	@Test
	void celeryTaskBeansAreRegisteredAndTheirQueuesRouted() {
		this.contextRunner.withUserConfiguration(TasksConfiguration.class).run((context) -> {
			assertThat(context.getBean(TaskRegistry.class).names()).containsExactly("demo.add", "demo.report", "demo.thread");
			TaskRouter router = context.getBean(TaskRouter.class);
			assertThat(router.route("demo.report", null)).isEqualTo(Destination.queue("reports"));
			assertThat(router.route("demo.add", null)).isEqualTo(Destination.queue("celery"));
		});
	}

	@Test
	void queueArgumentsAreTypedAsPythonSendsThem() {
		this.contextRunner
			.withPropertyValues("taskqueue.queue-max-priority=5", "taskqueue.queues.votes.arguments.x-queue-type=quorum",
					"taskqueue.queues.ttl.arguments.x-message-ttl=60000",
					"taskqueue.queues.ttl.arguments.x-big=5000000000",
					"taskqueue.queues.ttl.arguments.x-single-active-consumer=true")
			.run((context) -> {
				TaskRouter router = context.getBean(TaskRouter.class);
				QueueSpec votes = router.route("any", "votes").queue();
				assertThat(votes.quorum()).isTrue();
				assertThat(votes.maxPriority()).isNull();
				QueueSpec ttl = router.route("any", "ttl").queue();
				assertThat(ttl.quorum()).isFalse();
				assertThat(ttl.maxPriority()).isEqualTo(5);
				assertThat(ttl.arguments()).containsExactly(entry("x-message-ttl", 60000),
						entry("x-big", 5_000_000_000L), entry("x-single-active-consumer", true));
			});
	}

	@Test
	void quorumQueueWithPriorityFailsClearly() {
		this.contextRunner
			.withPropertyValues("taskqueue.queues.votes.arguments.x-queue-type=quorum",
					"taskqueue.queues.votes.max-priority=10")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Queue 'votes': a quorum queue has no x-max-priority"));
	}

	@Test
	void queuesAndRoutesAreBoundLikeCeleryTaskQueuesAndRoutes() {
		this.contextRunner
			.withPropertyValues("taskqueue.queue-max-priority=5", "taskqueue.queues.reports.max-priority=10",
					"taskqueue.queues.feeds.exchange=feed_ex", "taskqueue.queues.feeds.exchange-type=topic",
					"taskqueue.queues.feeds.routing-key=feeds.#", "taskqueue.routes.[demo.*].queue=reports",
					"taskqueue.routes.[feeds.refresh].queue=feeds")
			.run((context) -> {
				TaskRouter router = context.getBean(TaskRouter.class);
				Destination reports = router.route("demo.anything", null);
				assertThat(reports.routingKey()).isEqualTo("reports");
				assertThat(reports.queue().maxPriority()).isEqualTo(10);
				Destination feeds = router.route("feeds.refresh", null);
				assertThat(feeds.exchange()).isEqualTo("feed_ex");
				assertThat(feeds.routingKey()).isEqualTo("feeds.#");
				assertThat(router.route("other", null).queue().maxPriority()).isEqualTo(5);
			});
	}

	@Test
	void userBrokerAndBackendWin() {
		this.contextRunner.withUserConfiguration(CustomTransportConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Broker.class).hasSingleBean(ResultBackend.class);
			assertThat(context.getBean(Broker.class)).isSameAs(context.getBean("customBroker"));
		});
	}

	@Test
	void unsupportedBrokerSchemeFailsWithMaskedUrl() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=kafka://user:secret@host:9092").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("its scheme 'kafka' is not supported")
				.hasMessageContaining("user:**@host")
				.hasMessageNotContaining("secret");
		});
	}

	@Test
	void transportNotOnClasspathFailsClearly() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.withPropertyValues("taskqueue.broker.url=amqp://guest:secret@localhost:5672//")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(MissingTransportException.class)
					.hasMessageContaining("No transport for taskqueue.broker.url=amqp://guest:**@localhost:5672//")
					.hasMessageContaining("spring-rabbit")
					.hasMessageNotContaining("secret");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class TasksConfiguration {

		@Bean
		DemoTasks demoTasks() {
			return new DemoTasks();
		}

	}

	static class DemoTasks {

		@CeleryTask(name = "demo.add")
		int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "demo.thread")
		boolean thread() throws Exception {
			return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
		}

		@CeleryTask(name = "demo.report", queue = "reports")
		List<String> report() {
			return List.of();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomTransportConfiguration {

		@Bean
		Broker customBroker() {
			return new InMemoryBroker(new JsonMessageCodec());
		}

		@Bean
		ResultBackend customBackend() {
			return new InMemoryResultBackend(new dev.taskqueue.protocol.JsonResultMetaCodec(),
					java.time.Duration.ofMinutes(1));
		}

	}

}
