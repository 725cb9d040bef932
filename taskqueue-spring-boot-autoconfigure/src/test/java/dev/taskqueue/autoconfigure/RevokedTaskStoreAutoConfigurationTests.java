package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.util.ReflectionTestUtils;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.backend.redis.RedisRevokedTaskStore;
import dev.taskqueue.backend.rpc.StreamRevokedTaskStore;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the choice of the store of revoked tasks: Redis when the broker or the backend is
 * Redis, a RabbitMQ stream on RabbitMQ otherwise, in memory next to the in-memory broker, the
 * application's own when it has one; and that the template and the worker both use it. No
 * worker starts, so nothing is declared on the brokers.
 */
class RevokedTaskStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueEagerAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.auto-startup=false");

	@Test
	void redisBrokerKeepsRevokesInTheBrokersRedisUnderItsKeyPrefix() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/8",
					"taskqueue.broker.redis.global-keyprefix=revoke-prefix:")
			.run((context) -> {
				RedisRevokedTaskStore store = context.getBean(RedisRevokedTaskStore.class);
				assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/8 (sorted set revoke-prefix:taskqueue.revoked)");
				assertThat(store.ttl()).isEqualTo(Duration.ofHours(3));
				assertThat(ReflectionTestUtils.getField(store, "connectionFactory"))
					.isSameAs(context.getBean(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME));
				assertSharedByTemplateAndWorker(context.getBean(TaskOperations.class),
						context.getBean(WorkerContainer.class), store);
			});
	}

	@Test
	void redisBackendKeepsRevokesInTheBackendsRedisWhateverTheBroker() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//",
					"taskqueue.backend.url=redis://127.0.0.1:6379/8", "taskqueue.worker.revoked-ttl=90m")
			.run((context) -> {
				RedisRevokedTaskStore store = context.getBean(RedisRevokedTaskStore.class);
				assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/8 (sorted set taskqueue.revoked)");
				assertThat(store.ttl()).isEqualTo(Duration.ofMinutes(90));
				assertThat(ReflectionTestUtils.getField(store, "connectionFactory"))
					.isSameAs(context.getBean(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME));
			});
	}

	@Test
	void rabbitMqWithRpcBackendKeepsRevokesInAStream() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//",
					"taskqueue.backend.url=rpc://", "taskqueue.worker.revoked-ttl=10m")
			.run((context) -> {
				StreamRevokedTaskStore store = context.getBean(StreamRevokedTaskStore.class);
				assertThat(store.describe()).isEqualTo("amqp://guest:**@127.0.0.1:5672// (stream taskqueue.revoked)");
				assertThat(store.ttl()).isEqualTo(Duration.ofMinutes(10));
				assertSharedByTemplateAndWorker(context.getBean(TaskOperations.class),
						context.getBean(WorkerContainer.class), store);
			});
	}

	@Test
	void rabbitMqWithoutBackendKeepsRevokesInAStream() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//")
			.run((context) -> assertThat(context).hasSingleBean(StreamRevokedTaskStore.class));
	}

	@Test
	void inMemoryBrokerKeepsRevokesInMemory() {
		this.contextRunner.run((context) -> {
			InMemoryRevokedTaskStore store = context.getBean(InMemoryRevokedTaskStore.class);
			assertSharedByTemplateAndWorker(context.getBean(TaskOperations.class),
					context.getBean(WorkerContainer.class), store);
			TaskOperations tasks = context.getBean(TaskOperations.class);
			tasks.revoke("revoke-in-memory-1", false);
			assertThat(store.isRevoked("revoke-in-memory-1")).isTrue();
			assertThat(tasks.result("revoke-in-memory-1").state()).isEqualTo(TaskState.REVOKED);
		});
	}

	@Test
	void eagerModeKeepsRevokesInMemoryWhateverTheUrls() {
		this.contextRunner
			.withPropertyValues("taskqueue.task.always-eager=true", "taskqueue.broker.url=redis://127.0.0.1:6379/8")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryRevokedTaskStore.class)
				.doesNotHaveBean(RedisRevokedTaskStore.class));
	}

	@Test
	void applicationsOwnStoreWins() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/8")
			.withUserConfiguration(OwnStoreConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(RevokedTaskStore.class);
				RevokedTaskStore store = context.getBean(RevokedTaskStore.class);
				assertThat(store.describe()).contains("revoke-own-store");
				assertSharedByTemplateAndWorker(context.getBean(TaskOperations.class),
						context.getBean(WorkerContainer.class), store);
			});
	}

	private static void assertSharedByTemplateAndWorker(TaskOperations template, WorkerContainer worker,
			RevokedTaskStore store) {
		assertThat(ReflectionTestUtils.getField(template, "revokedTaskStore")).isSameAs(store);
		assertThat(ReflectionTestUtils.getField(worker, "revokedTaskStore")).isSameAs(store);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStoreConfiguration {

		@Bean
		RedisRevokedTaskStore ownStore(
				@Qualifier(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME) RedisConnectionFactory factory) {
			return new RedisRevokedTaskStore(factory, "revoke-own-store", Duration.ofMinutes(1), "redis://own");
		}

	}

}
