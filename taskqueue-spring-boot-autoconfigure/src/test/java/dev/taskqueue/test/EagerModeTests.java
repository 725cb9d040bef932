package dev.taskqueue.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEagerAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.UpdateSubscription;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for eager mode ({@code taskqueue.task.always-eager=true}): tasks run in the sending
 * thread, through the codec and the worker's argument binding.
 */
class EagerModeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueEagerAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withUserConfiguration(TasksConfiguration.class)
		.withPropertyValues("taskqueue.task.always-eager=true");

	@Test
	void alwaysEagerWiresTheEagerBrokerAndAnInMemoryBackendAndNoConsumer() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/4",
					"taskqueue.backend.url=redis://127.0.0.1:6379/4")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Broker.class)).isInstanceOf(EagerBroker.class);
				assertThat(context.getBean(ResultBackend.class)).isInstanceOf(InMemoryResultBackend.class);
				assertThat(context.getBean(WorkerContainer.class).isRunning()).isFalse();
			});
	}

	@Test
	void chainsAndChordsRunInTheCallersThreadToTheEnd() {
		this.contextRunner.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			AsyncResult<Object> chain = tasks.chain(Signature.of("eager.add", 2, 2), Signature.of("eager.add", 4),
					Signature.of("eager.add", 8));
			assertThat(chain.ready()).isTrue();
			assertThat(chain.get(Duration.ZERO, Long.class)).isEqualTo(16L);
			AsyncResult<Object> chord = tasks.chord(Signature.of("eager.add", 1, 1), Signature.of("eager.add", 2, 2))
				.body(Signature.of("eager.sum"));
			assertThat(chord.get(Duration.ZERO, Long.class)).isEqualTo(6L);
		});
	}

	@Test
	void withoutAlwaysEagerTasksArePublished() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueEagerAutoConfiguration.class,
					TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EagerBroker.class);
				assertThat(context.getBean(Broker.class)).isInstanceOf(InMemoryBroker.class);
			});
	}

	@Test
	void taskRunsInTheCallersThreadAndItsResultIsThereAtOnce() {
		this.contextRunner.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			AsyncResult<Object> thread = tasks.send("eager.thread");
			assertThat(thread.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(thread.result()).isEqualTo(Thread.currentThread().getName());
			AsyncResult<Long> sum = tasks.task("eager.add").args(2, 40).send(Long.class);
			assertThat(sum.ready()).isTrue();
			assertThat(sum.get(Duration.ZERO)).isEqualTo(42L);
		});
	}

	@Test
	void updatesOfAnEagerTaskAreItsFinalStateOnTheCallersThread() {
		this.contextRunner.run((context) -> {
			AsyncResult<String> progress = context.getBean(TaskOperations.class)
				.task("eager.progress")
				.send(String.class);
			List<TaskResult> updates = new ArrayList<>();
			assertThat(progress.get(Duration.ZERO, updates::add)).isEqualTo("done");
			assertThat(updates).extracting(TaskResult::state).containsExactly(TaskState.SUCCESS);
			List<TaskResult> later = new ArrayList<>();
			try (UpdateSubscription subscription = progress.onUpdate(later::add)) {
				assertThat(later).extracting(TaskResult::result).containsExactly("done");
			}
		});
	}

	@Test
	void msgpackSerializersWorkInEagerMode() {
		this.contextRunner
			.withPropertyValues("taskqueue.task.serializer=msgpack", "taskqueue.backend.result-serializer=msgpack")
			.run((context) -> {
				AsyncResult<Long> sum = context.getBean(TaskOperations.class).task("eager.add").args(2, 40).send(Long.class);
				assertThat(sum.get(Duration.ZERO)).isEqualTo(42L);
			});
		this.contextRunner.withPropertyValues("taskqueue.task.serializer=msgpack", "taskqueue.accept-content=json")
			.run((context) -> assertThatExceptionOfType(TaskSendException.class)
				.isThrownBy(() -> context.getBean(TaskOperations.class).send("eager.add", 2, 40))
				.withMessageContaining("accept_content is [json]"));
	}

	@Test
	void argumentsTravelAsJsonAndBindAsTheWorkerBindsThem() {
		this.contextRunner.run((context) -> {
			AsyncResult<Object> described = context.getBean(TaskOperations.class)
				.task("eager.describe")
				.kwarg("point", Map.of("x", 3, "y", 4))
				.send();
			assertThat(described.result()).isEqualTo(Map.of("id", described.id(), "sum", 7, "type", "Point"));
			AsyncResult<Object> fromRecord = context.getBean(TaskOperations.class)
				.send("eager.describe", new EagerTasks.Point(1, 2));
			assertThat(fromRecord.successful()).isTrue();
		});
	}

	@Test
	void argumentTheBinderCannotReadBackFailsTheSend() {
		this.contextRunner.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			assertThatExceptionOfType(TaskSendException.class)
				.isThrownBy(() -> tasks.send("eager.area", new EagerTasks.Circle(2)))
				.withMessageContaining("eager.area")
				.withMessageContaining("TypeError")
				.withMessageContaining("'shape' must be Shape");
		});
	}

	@Test
	void argumentWithNoJsonFormFailsTheSend() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> context.getBean(TaskOperations.class).send("eager.add", new Object(), 1))
			.withMessageContaining("cannot be serialized"));
	}

	@Test
	void failingTaskGivesAFailedResult() {
		this.contextRunner.run((context) -> {
			AsyncResult<Object> result = context.getBean(TaskOperations.class).send("eager.fail", "boom");
			assertThat(result.failed()).isTrue();
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(Duration.ZERO))
				.satisfies((ex) -> assertThat(ex.getExceptionMessage()).contains("boom"));
		});
	}

	@Test
	void unknownTaskFailsInsteadOfBeingPublished() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> context.getBean(TaskOperations.class).send("remote.only", 1))
			.withMessageContaining("'remote.only' cannot run eagerly: it is not a @CeleryTask of this application"));
	}

	@Test
	void unknownTaskFailsWhenTheApplicationRunsNoWorker() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThatExceptionOfType(TaskSendException.class)
				.isThrownBy(() -> context.getBean(TaskOperations.class).send("eager.add", 1, 2))
				.withMessageContaining("which runs no worker"));
	}

	@Test
	void applicationsOwnBrokerWins() {
		this.contextRunner.withBean(InMemoryBroker.class, () -> new InMemoryBroker(new JsonMessageCodec()))
			.run((context) -> assertThat(context.getBean(Broker.class)).isInstanceOf(InMemoryBroker.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class TasksConfiguration {

		@Bean
		EagerTasks eagerTasks() {
			return new EagerTasks();
		}

	}

}
