package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.protocol.ResultMetaCodec;
import dev.taskqueue.test.EagerBroker;
import dev.taskqueue.worker.InlineTaskRunner;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of eager mode ({@code taskqueue.task.always-eager=true}, Celery's
 * {@code task_always_eager}), for tests: an {@link EagerBroker} that runs this application's
 * tasks in the sending thread, an in-memory result backend and store of revoked tasks (a task
 * revoked before it is sent is not run), in place of the transports
 * the URLs name. It runs before {@link TaskQueueAutoConfiguration}, so its beans win over
 * the transports'; the application's own broker or backend beans still win over these.
 */
@AutoConfiguration(before = TaskQueueAutoConfiguration.class)
@ConditionalOnBooleanProperty("taskqueue.task.always-eager")
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class TaskQueueEagerAutoConfiguration {

	/**
	 * Results stay in this JVM: the tasks run here, and a test needs no Redis or RabbitMQ.
	 * @param codec the codec for result metadata
	 * @param properties the taskqueue properties
	 * @return the in-memory result backend
	 */
	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	InMemoryResultBackend taskQueueEagerResultBackend(ResultMetaCodec codec, TaskQueueProperties properties) {
		return new InMemoryResultBackend(codec, properties.getBackend().getResultExpires());
	}

	/**
	 * Revokes stay in this JVM, with the tasks and their results.
	 * @param properties the taskqueue properties
	 * @return the in-memory store of revoked tasks
	 */
	@Bean
	@ConditionalOnMissingBean(RevokedTaskStore.class)
	InMemoryRevokedTaskStore taskQueueEagerRevokedTaskStore(TaskQueueProperties properties) {
		return new InMemoryRevokedTaskStore(properties.getWorker().getRevokedTtl());
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	EagerBroker taskQueueEagerBroker(MessageCodec codec, ObjectProvider<TaskRegistry> registry,
			ObjectProvider<ResultBackend> backend, ObjectProvider<WorkerState> state,
			ObjectProvider<WorkerSettings> settings,
			@Qualifier(TaskQueueAutoConfiguration.MAPPER_BEAN_NAME) ObjectProvider<JsonMapper> mapper,
			ObjectProvider<RevokedTaskStore> revokedTaskStore, TaskQueueProperties properties) {
		return new EagerBroker(codec, SingletonSupplier.of(() -> {
			TaskRegistry tasks = registry.getIfAvailable();
			if (tasks == null) {
				return null;
			}
			return new InlineTaskRunner(tasks, backend.getObject(), state.getIfAvailable(WorkerState::new),
					settings.getIfAvailable(() -> defaultSettings(properties)), mapper.getObject(),
					revokedTaskStore.getIfUnique());
		}));
	}

	private static WorkerSettings defaultSettings(TaskQueueProperties properties) {
		return new WorkerSettings(NodeNames.defaultWorker(), List.of(properties.getDefaultQueue()), 1, 1,
				Duration.ZERO, properties.getBackend().isResultExtended());
	}

}
