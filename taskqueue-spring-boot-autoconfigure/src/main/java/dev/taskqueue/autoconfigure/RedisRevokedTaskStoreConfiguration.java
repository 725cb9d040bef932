package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.redis.RedisRevokedTaskStore;

/**
 * Revoked tasks kept in Redis when the result backend or the broker is Redis: in the result
 * backend's database when it is Redis (where Celery users look for task states), otherwise in
 * the broker's, under its {@code global_keyprefix}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@Conditional(RedisRevokedTaskStoreConfiguration.RedisCondition.class)
class RedisRevokedTaskStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(RevokedTaskStore.class)
	RedisRevokedTaskStore taskQueueRevokedTaskStore(
			@Qualifier(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> backend,
			@Qualifier(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> broker,
			ObjectProvider<RedisConnectionFactory> application, TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties) {
		TaskQueueProperties.Worker worker = properties.getWorker();
		RedisConnectionFactory backendFactory = backend.getIfAvailable();
		if (backendFactory != null) {
			return new RedisRevokedTaskStore(backendFactory, RedisRevokedTaskStore.DEFAULT_KEY, worker.getRevokedTtl(),
					TaskQueueUrl.backend(connectionDetails.backendUrl()).masked());
		}
		String key = properties.getBroker().getRedis().getGlobalKeyprefix() + RedisRevokedTaskStore.DEFAULT_KEY;
		RedisConnectionFactory brokerFactory = broker.getIfAvailable();
		if (brokerFactory != null) {
			return new RedisRevokedTaskStore(brokerFactory, key, worker.getRevokedTtl(),
					TaskQueueUrl.broker(connectionDetails.brokerUrl()).masked());
		}
		RedisConnectionFactory applicationFactory = application.getIfUnique();
		Assert.state(applicationFactory != null, "No unique RedisConnectionFactory for the revoked tasks");
		return new RedisRevokedTaskStore(applicationFactory, key, worker.getRevokedTtl(),
				RedisConnectionFactories.describe(applicationFactory));
	}

	/**
	 * A Redis result backend, or a Redis broker (from its URL or the application's
	 * connection).
	 */
	static final class RedisCondition extends AnyNestedCondition {

		RedisCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnUrlScheme(property = TaskQueueUrl.BACKEND_PROPERTY, schemes = { "redis", "rediss", "sentinel" })
		static final class RedisBackend {

		}

		@Conditional(RedisBrokerConfiguration.RedisBrokerCondition.class)
		static final class RedisBroker {

		}

	}

}
