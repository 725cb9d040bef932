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

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * Celery's Redis result backend, for {@code redis://} and {@code rediss://} backend URLs, on
 * a connection factory of its own (Celery users keep results in another database than the
 * broker's).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnUrlScheme(property = TaskQueueUrl.BACKEND_PROPERTY, schemes = { "redis", "rediss", "sentinel" })
class RedisBackendConfiguration {

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBackendRedisConnectionFactory";

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	LettuceConnectionFactory taskQueueBackendRedisConnectionFactory(TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<TaskQueueLettuceClientConfigurationBuilderCustomizer> customizers) {
		TaskQueueUrl url = backendUrl(connectionDetails);
		return RedisConnectionFactories.create(url, TaskQueueConnection.BACKEND, properties.getBackend().getSsl(),
				properties.getBackend().getRedis(), sslBundles, customizers);
	}

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RedisResultBackend taskQueueResultBackend(
			@Qualifier(CONNECTION_FACTORY_BEAN_NAME) RedisConnectionFactory connectionFactory, ResultMetaCodec codec,
			TaskQueueConnectionDetails connectionDetails, TaskQueueProperties properties) {
		RedisResultBackend backend = new RedisResultBackend(connectionFactory, codec,
				properties.getBackend().getResultExpires(), backendUrl(connectionDetails).masked());
		TaskQueueProperties.Backend.Redis redis = properties.getBackend().getRedis();
		backend.setWaitForReplicas(redis.getWaitForReplicas(), redis.getWaitForReplicasTimeout());
		return backend;
	}

	private static TaskQueueUrl backendUrl(TaskQueueConnectionDetails connectionDetails) {
		return TaskQueueUrl.backend(connectionDetails.backendUrl()).requireTransport("redis", "rediss", "sentinel");
	}

}
