package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.protocol.MessageCodec;

/**
 * The Redis broker (kombu's Redis transport), for {@code redis://} and {@code rediss://}
 * broker URLs, or, when no broker URL is set and the application has no RabbitMQ connection
 * factory, on the application's own {@link RedisConnectionFactory} (the one Spring Boot
 * configures from {@code spring.data.redis.*}). The connection factory built from a URL is not
 * a default candidate, so an application's own Redis connection stays as Spring Boot
 * configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@Conditional(RedisBrokerConfiguration.RedisBrokerCondition.class)
class RedisBrokerConfiguration {

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBrokerRedisConnectionFactory";

	static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnUrlScheme(property = TaskQueueUrl.BROKER_PROPERTY, schemes = { "redis", "rediss", "sentinel" })
	LettuceConnectionFactory taskQueueBrokerRedisConnectionFactory(TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<TaskQueueLettuceClientConfigurationBuilderCustomizer> customizers) {
		TaskQueueUrl url = brokerUrl(connectionDetails);
		return RedisConnectionFactories.create(url, TaskQueueConnection.BROKER, properties.getBroker().getSsl(),
				properties.getBroker().getRedis(), sslBundles, customizers);
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RedisBroker taskQueueBroker(@Qualifier(CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<RedisConnectionFactory> fromUrl,
			ObjectProvider<RedisConnectionFactory> application, TaskQueueConnectionDetails connectionDetails,
			MessageCodec codec, TaskQueueProperties properties) {
		RedisConnectionFactory connectionFactory = fromUrl.getIfAvailable();
		String url;
		if (connectionFactory != null) {
			url = brokerUrl(connectionDetails).masked();
		}
		else {
			ConnectionTls.requireNone(properties.getBroker().getSsl(), "taskqueue.broker",
					"taskqueue.broker.url is not set: configure the TLS of the application's Redis connection with "
							+ "spring.data.redis.ssl.*");
			connectionFactory = application.getIfUnique();
			if (connectionFactory == null) {
				throw new InvalidConfigurationPropertyValueException(TaskQueueUrl.BROKER_PROPERTY, null,
						"it is not set and the application has several RedisConnectionFactory beans, none of them "
								+ "primary: set it, or mark the connection factory to use @Primary");
			}
			url = RedisConnectionFactories.describe(connectionFactory);
		}
		TaskQueueProperties.Broker.Redis redis = properties.getBroker().getRedis();
		RedisTransportOptions options = new RedisTransportOptions(url, redis.getVisibilityTimeout(),
				redis.getGlobalKeyprefix(), redis.getMaxInFlight(), redis.getWaitForReplicas(),
				redis.getWaitForReplicasTimeout());
		return new RedisBroker(connectionFactory, codec, options);
	}

	private static TaskQueueUrl brokerUrl(TaskQueueConnectionDetails connectionDetails) {
		return TaskQueueUrl.broker(connectionDetails.brokerUrl()).requireTransport("redis", "rediss", "sentinel");
	}

	/**
	 * A Redis URL; or no URL, no RabbitMQ connection factory (which comes first, as it did
	 * before Redis was considered) and a Redis connection factory of the application's own.
	 */
	static final class RedisBrokerCondition extends AnyNestedCondition {

		RedisBrokerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnUrlScheme(property = TaskQueueUrl.BROKER_PROPERTY, schemes = { "redis", "rediss", "sentinel" })
		static final class RedisUrl {

		}

		@ConditionalOnUrlScheme(property = TaskQueueUrl.BROKER_PROPERTY, schemes = {}, matchIfMissing = true)
		@ConditionalOnMissingBean(type = AmqpBrokerConfiguration.RABBIT_CONNECTION_FACTORY)
		@ConditionalOnBean(type = REDIS_CONNECTION_FACTORY)
		static final class ApplicationRedisConnection {

		}

	}

}
