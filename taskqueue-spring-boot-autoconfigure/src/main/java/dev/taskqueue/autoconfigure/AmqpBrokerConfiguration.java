package dev.taskqueue.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.amqp.AmqpTransportOptions;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.TaskRouter;

/**
 * The RabbitMQ broker, for {@code amqp://} and {@code amqps://} broker URLs. Its connection
 * factory is not a default candidate, so an application's own {@code spring.rabbitmq.*}
 * connection stays as Spring Boot configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RabbitTemplate.class, CachingConnectionFactory.class })
@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = { "amqp", "amqps" })
class AmqpBrokerConfiguration {

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBrokerRabbitConnectionFactory";

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	CachingConnectionFactory taskQueueBrokerRabbitConnectionFactory(TaskQueueProperties properties) {
		return AmqpConnectionFactories.create(brokerUrl(properties), "taskqueue");
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	AmqpBroker taskQueueBroker(@Qualifier(CONNECTION_FACTORY_BEAN_NAME) ConnectionFactory connectionFactory,
			MessageCodec codec, TaskQueueProperties properties) {
		TaskRouter router = TaskQueueRouting.router(properties);
		Map<String, QueueSpec> queues = new LinkedHashMap<>(TaskQueueRouting.queues(properties));
		queues.putIfAbsent(properties.getDefaultQueue(), router.queue(properties.getDefaultQueue()));
		properties.getWorker().getQueues().forEach((name) -> queues.putIfAbsent(name, router.queue(name)));
		AmqpTransportOptions options = new AmqpTransportOptions(brokerUrl(properties).masked(), queues,
				properties.getBroker().getAmqp().isPublisherConfirms(), properties.getBroker().getAmqp().getConfirmTimeout());
		return new AmqpBroker(connectionFactory, codec, options);
	}

	private static TaskQueueUrl brokerUrl(TaskQueueProperties properties) {
		return TaskQueueUrl.parse(properties.getBroker().getUrl(), "taskqueue.broker.url",
				TaskQueueUrl.BROKER_SCHEMES);
	}

}
