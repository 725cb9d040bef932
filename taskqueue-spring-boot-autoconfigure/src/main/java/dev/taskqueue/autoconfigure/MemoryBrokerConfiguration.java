package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.MessageCodec;

/**
 * The in-memory broker, for {@code memory://} or no broker URL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = "memory")
class MemoryBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	InMemoryBroker taskQueueBroker(MessageCodec codec) {
		return new InMemoryBroker(codec);
	}

}
