package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.protocol.MessageCodec;

/**
 * The Redis broker (kombu's Redis transport), for {@code redis://} and {@code rediss://}
 * broker URLs. Its connection factory is not a default candidate, so an application's own
 * Redis connection stays as Spring Boot configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = { "redis", "rediss" })
class RedisBrokerConfiguration {

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBrokerRedisConnectionFactory";

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	LettuceConnectionFactory taskQueueBrokerRedisConnectionFactory(TaskQueueProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		TaskQueueUrl url = brokerUrl(properties);
		ConnectionTls tls = ConnectionTls.of(url, "rediss", "taskqueue.broker", properties.getBroker().getSsl(),
				sslBundles);
		return RedisConnectionFactories.create(url, "taskqueue-broker", tls);
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RedisBroker taskQueueBroker(@Qualifier(CONNECTION_FACTORY_BEAN_NAME) RedisConnectionFactory connectionFactory,
			MessageCodec codec, TaskQueueProperties properties) {
		TaskQueueProperties.Broker.Redis redis = properties.getBroker().getRedis();
		RedisTransportOptions options = new RedisTransportOptions(brokerUrl(properties).masked(),
				redis.getVisibilityTimeout(), redis.getGlobalKeyprefix());
		return new RedisBroker(connectionFactory, codec, options);
	}

	private static TaskQueueUrl brokerUrl(TaskQueueProperties properties) {
		return TaskQueueUrl.parse(properties.getBroker().getUrl(), "taskqueue.broker.url",
				TaskQueueUrl.BROKER_SCHEMES);
	}

}
