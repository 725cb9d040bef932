package dev.taskqueue.autoconfigure;

import java.util.UUID;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.beat.BeatLeadership;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.amqp.AmqpBeatLeadership;
import dev.taskqueue.beat.amqp.AmqpBeatStore;
import dev.taskqueue.beat.memory.InMemoryBeatLeadership;
import dev.taskqueue.beat.memory.InMemoryBeatStore;
import dev.taskqueue.beat.redis.RedisBeatLeadership;
import dev.taskqueue.beat.redis.RedisBeatStore;
import dev.taskqueue.protocol.NodeNames;

/**
 * Where beat keeps its lease and last runs, chosen as the store of revoked tasks is: Redis when
 * the broker or the result backend is Redis, RabbitMQ when the broker is RabbitMQ and the
 * backend is not Redis, this JVM otherwise (the in-memory broker). Imported in that order.
 */
final class TaskQueueBeatTransports {

	/** Suffix of the lease's key or queue, after {@code taskqueue.beat.key}. */
	static final String LEADER_SUFFIX = ".leader";

	/**
	 * Suffix of the last runs' key (a hash on Redis) or of their queues' prefix (a queue per
	 * entry, {@code <key>.last-run.<entry>}, on RabbitMQ), after {@code taskqueue.beat.key}.
	 */
	static final String LAST_RUN_SUFFIX = ".last-run";

	private TaskQueueBeatTransports() {
	}

	/**
	 * Redis: in the result backend's database when it is Redis, otherwise in the broker's,
	 * under its {@code global_keyprefix}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
	@Conditional(RedisRevokedTaskStoreConfiguration.RedisCondition.class)
	static class Redis {

		@Bean
		@ConditionalOnMissingBean(BeatLeadership.class)
		RedisBeatLeadership taskQueueBeatLeadership(
				@Qualifier(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> backend,
				@Qualifier(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> broker,
				ObjectProvider<RedisConnectionFactory> application, TaskQueueProperties properties) {
			TaskQueueProperties.Beat beat = properties.getBeat();
			String owner = ((properties.getWorker().getHostname() != null) ? properties.getWorker().getHostname()
					: NodeNames.defaultWorker()) + "/" + UUID.randomUUID().toString().substring(0, 8);
			return new RedisBeatLeadership(connectionFactory(backend, broker, application),
					key(backend, properties) + LEADER_SUFFIX, beat.getLease(), owner);
		}

		@Bean
		@ConditionalOnMissingBean(BeatStore.class)
		RedisBeatStore taskQueueBeatStore(
				@Qualifier(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> backend,
				@Qualifier(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> broker,
				ObjectProvider<RedisConnectionFactory> application, TaskQueueProperties properties) {
			return new RedisBeatStore(connectionFactory(backend, broker, application),
					key(backend, properties) + LAST_RUN_SUFFIX);
		}

		private static RedisConnectionFactory connectionFactory(ObjectProvider<RedisConnectionFactory> backend,
				ObjectProvider<RedisConnectionFactory> broker, ObjectProvider<RedisConnectionFactory> application) {
			RedisConnectionFactory factory = backend.getIfAvailable();
			if (factory == null) {
				factory = broker.getIfAvailable();
			}
			if (factory == null) {
				factory = application.getIfUnique();
			}
			Assert.state(factory != null, "No unique RedisConnectionFactory for beat");
			return factory;
		}

		private static String key(ObjectProvider<RedisConnectionFactory> backend, TaskQueueProperties properties) {
			String key = properties.getBeat().getKey();
			return (backend.getIfAvailable() != null) ? key
					: properties.getBroker().getRedis().getGlobalKeyprefix() + key;
		}

	}

	/**
	 * RabbitMQ, on the broker's connection, when the broker is RabbitMQ and the result backend
	 * is not Redis ({@code rpc://} or none).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RabbitTemplate.class, CachingConnectionFactory.class })
	@Conditional(AmqpBrokerConfiguration.AmqpBrokerCondition.class)
	@ConditionalOnUrlScheme(property = TaskQueueUrl.BACKEND_PROPERTY, schemes = { "rpc", "memory" },
			matchIfMissing = true)
	static class Amqp {

		@Bean
		@ConditionalOnMissingBean(BeatLeadership.class)
		AmqpBeatLeadership taskQueueBeatLeadership(AmqpConnection connection, TaskQueueProperties properties) {
			return new AmqpBeatLeadership(connection.connectionFactory(),
					properties.getBeat().getKey() + LEADER_SUFFIX);
		}

		@Bean
		@ConditionalOnMissingBean(BeatStore.class)
		AmqpBeatStore taskQueueBeatStore(AmqpConnection connection, TaskQueueProperties properties) {
			return new AmqpBeatStore(connection.connectionFactory(),
					properties.getBeat().getKey() + LAST_RUN_SUFFIX + ".");
		}

	}

	/**
	 * This JVM, when neither the broker nor the result backend can keep them: one instance,
	 * which always leads.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Memory {

		@Bean
		@ConditionalOnMissingBean(BeatLeadership.class)
		InMemoryBeatLeadership taskQueueBeatLeadership() {
			return new InMemoryBeatLeadership();
		}

		@Bean
		@ConditionalOnMissingBean(BeatStore.class)
		InMemoryBeatStore taskQueueBeatStore() {
			return new InMemoryBeatStore();
		}

	}

}
