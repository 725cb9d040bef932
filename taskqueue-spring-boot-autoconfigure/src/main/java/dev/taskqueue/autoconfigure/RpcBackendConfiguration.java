package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.rpc.RpcResultBackend;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * Celery's {@code rpc://} result backend: results travel back to the sender's reply queue on
 * the broker's RabbitMQ connection (built from the broker URL, or the application's own).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnUrlScheme(property = "taskqueue.backend.url", schemes = "rpc")
class RpcBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	RpcResultBackend taskQueueResultBackend(ObjectProvider<AmqpConnection> brokerConnection, ResultMetaCodec codec,
			TaskQueueProperties properties) {
		ConnectionTls.requireNone(properties.getBackend().getSsl(), "taskqueue.backend",
				"rpc:// sends results over the broker's connection: set taskqueue.broker.ssl.* instead");
		AmqpConnection connection = brokerConnection.getIfAvailable();
		if (connection == null) {
			throw new InvalidConfigurationPropertyValueException(TaskQueueUrl.BACKEND_PROPERTY, "rpc://",
					"rpc:// sends results over RabbitMQ, but the broker is not RabbitMQ: set taskqueue.broker.url to "
							+ "an amqp:// URL, or leave it unset next to Spring Boot's RabbitMQ connection "
							+ "(spring-boot-starter-amqp)");
		}
		return new RpcResultBackend(connection.connectionFactory(), codec,
				properties.getBackend().getResultExpires(), "rpc://");
	}

}
