package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.backend.redis.RedisTokenBuckets;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;

/**
 * The token buckets of cluster-wide rate limits, in Redis, when the broker or the result
 * backend is Redis: on the broker's connection, under its global key prefix, else on the
 * backend's. An application's own {@link SharedTokenBuckets} bean replaces them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
class RedisTokenBucketsConfiguration {

	/** What the key of each bucket starts with, after the broker's global key prefix. */
	static final String KEY_PREFIX = "taskqueue-rate-limit:";

	@Bean
	@ConditionalOnMissingBean(SharedTokenBuckets.class)
	@Conditional(RedisConnectionCondition.class)
	RedisTokenBuckets taskQueueSharedTokenBuckets(Broker broker,
			@Qualifier(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> brokerUrl,
			@Qualifier(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> backendUrl,
			ObjectProvider<RedisConnectionFactory> application, TaskQueueProperties properties) {
		RedisConnectionFactory brokers = brokerUrl.getIfAvailable();
		if (brokers == null && broker instanceof RedisBroker) {
			brokers = application.getIfUnique();
		}
		if (brokers != null) {
			return new RedisTokenBuckets(brokers, properties.getBroker().getRedis().getGlobalKeyprefix() + KEY_PREFIX,
					RedisConnectionFactories.describe(brokers));
		}
		RedisConnectionFactory backends = backendUrl.getIfAvailable();
		Assert.state(backends != null, "No Redis connection for the shared token buckets");
		return new RedisTokenBuckets(backends, KEY_PREFIX, RedisConnectionFactories.describe(backends));
	}

	/**
	 * A Redis broker or result backend from a URL, or a Redis broker on the application's one
	 * Redis connection.
	 */
	static final class RedisConnectionCondition extends AnyNestedCondition {

		RedisConnectionCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(name = RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME)
		static final class BrokerUrl {

		}

		@ConditionalOnBean(name = RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME)
		static final class BackendUrl {

		}

		@Conditional(BrokerOnApplicationConnection.class)
		static final class ApplicationConnection {

		}

	}

	static final class BrokerOnApplicationConnection extends AllNestedConditions {

		BrokerOnApplicationConnection() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(RedisBroker.class)
		static final class Broker {

		}

		@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
		static final class SingleConnection {

		}

	}

}
