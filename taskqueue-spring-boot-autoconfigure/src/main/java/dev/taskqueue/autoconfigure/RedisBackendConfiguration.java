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
@ConditionalOnUrlScheme(property = "taskqueue.backend.url", schemes = { "redis", "rediss" })
class RedisBackendConfiguration {

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBackendRedisConnectionFactory";

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	LettuceConnectionFactory taskQueueBackendRedisConnectionFactory(TaskQueueProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		TaskQueueUrl url = backendUrl(properties);
		ConnectionTls tls = ConnectionTls.of(url, "rediss", "taskqueue.backend", properties.getBackend().getSsl(),
				sslBundles);
		return RedisConnectionFactories.create(url, "taskqueue-backend", tls);
	}

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RedisResultBackend taskQueueResultBackend(
			@Qualifier(CONNECTION_FACTORY_BEAN_NAME) RedisConnectionFactory connectionFactory, ResultMetaCodec codec,
			TaskQueueProperties properties) {
		return new RedisResultBackend(connectionFactory, codec, properties.getBackend().getResultExpires(),
				backendUrl(properties).masked());
	}

	private static TaskQueueUrl backendUrl(TaskQueueProperties properties) {
		return TaskQueueUrl.parse(properties.getBackend().getUrl(), "taskqueue.backend.url",
				TaskQueueUrl.BACKEND_SCHEMES);
	}

}
