package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.rpc.StreamRevokedTaskStore;

/**
 * Revoked tasks kept in a RabbitMQ stream on the broker's connection, when the broker is
 * RabbitMQ and the result backend is not Redis ({@code rpc://} or none): RabbitMQ is then the
 * only store the processes share (see {@link StreamRevokedTaskStore} for why a stream).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RabbitTemplate.class, CachingConnectionFactory.class })
@Conditional(AmqpBrokerConfiguration.AmqpBrokerCondition.class)
@ConditionalOnUrlScheme(property = TaskQueueUrl.BACKEND_PROPERTY, schemes = { "rpc", "memory" },
		matchIfMissing = true)
class AmqpRevokedTaskStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(RevokedTaskStore.class)
	StreamRevokedTaskStore taskQueueRevokedTaskStore(AmqpConnection connection, TaskQueueProperties properties) {
		return new StreamRevokedTaskStore(connection.connectionFactory(), StreamRevokedTaskStore.DEFAULT_STREAM,
				properties.getWorker().getRevokedTtl(), connection.url());
	}

}
