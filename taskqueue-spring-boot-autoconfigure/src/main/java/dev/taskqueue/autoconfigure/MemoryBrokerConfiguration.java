package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.MessageCodec;

/**
 * The in-memory broker, for {@code memory://}, or when no broker URL is set and the application
 * has no RabbitMQ or Redis connection factory of its own (see {@link AmqpBrokerConfiguration}
 * and {@link RedisBrokerConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MemoryBrokerConfiguration.MemoryBrokerCondition.class)
class MemoryBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	InMemoryBroker taskQueueBroker(MessageCodec codec, TaskQueueProperties properties) {
		ConnectionTls.requireNone(properties.getBroker().getSsl(), "taskqueue.broker", "the broker is in memory");
		return new InMemoryBroker(codec);
	}

	static final class MemoryBrokerCondition extends AnyNestedCondition {

		MemoryBrokerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = "memory")
		static final class MemoryUrl {

		}

		@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = {}, matchIfMissing = true)
		@ConditionalOnMissingBean(type = { AmqpBrokerConfiguration.RABBIT_CONNECTION_FACTORY,
				RedisBrokerConfiguration.REDIS_CONNECTION_FACTORY })
		static final class NoUrlNorApplicationConnection {

		}

		@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = {}, matchIfMissing = true)
		@ConditionalOnMissingBean(type = AmqpBrokerConfiguration.RABBIT_CONNECTION_FACTORY)
		@ConditionalOnMissingClass("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
		static final class NoUrlNorRabbitConnectionNorLettuce {

		}

	}

}
