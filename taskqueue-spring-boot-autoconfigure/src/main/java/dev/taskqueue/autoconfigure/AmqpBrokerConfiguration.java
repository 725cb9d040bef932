package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
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
import org.springframework.util.unit.DataSize;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.amqp.AmqpTransportOptions;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.TaskRouter;

/**
 * The RabbitMQ broker, for {@code amqp://} and {@code amqps://} broker URLs, or, when no broker
 * URL is set, on the application's own RabbitMQ {@link ConnectionFactory} (the one Spring Boot
 * configures from {@code spring.rabbitmq.*}). The connection factory built from a URL is not a
 * default candidate, so an application's own connection stays as Spring Boot configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RabbitTemplate.class, CachingConnectionFactory.class })
@Conditional(AmqpBrokerConfiguration.AmqpBrokerCondition.class)
class AmqpBrokerConfiguration {

	/** RabbitMQ's default max_message_size (3.8 to 3.13). */
	private static final long RABBITMQ_MAX_MESSAGE_SIZE = 128L * 1024 * 1024;

	static final String CONNECTION_FACTORY_BEAN_NAME = "taskQueueBrokerRabbitConnectionFactory";

	static final String RABBIT_CONNECTION_FACTORY = "org.springframework.amqp.rabbit.connection.ConnectionFactory";

	private static final String DELIVERY_LIMIT = "x-delivery-limit";

	private static final Log logger = LogFactory.getLog(AmqpBrokerConfiguration.class);

	@Bean(name = CONNECTION_FACTORY_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = { "amqp", "amqps" })
	CachingConnectionFactory taskQueueBrokerRabbitConnectionFactory(TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties, ObjectProvider<SslBundles> sslBundles) {
		TaskQueueUrl url = brokerUrl(connectionDetails);
		ConnectionTls tls = ConnectionTls.of(url, "amqps", "taskqueue.broker", properties.getBroker().getSsl(),
				sslBundles);
		CachingConnectionFactory factory = AmqpConnectionFactories.create(url, "taskqueue", tls,
				properties.getBroker().getAmqp().getFailoverStrategy());
		factory.getRabbitConnectionFactory()
			.setMaxInboundMessageBodySize(inboundClientLimit(properties.getWorker().getLimits().getMaxBodySize()));
		return factory;
	}

	/**
	 * The RabbitMQ client closes the whole connection on a message over its inbound limit, and
	 * RabbitMQ then delivers it again, to every worker in turn. So the client's limit stays above
	 * ours (at least RabbitMQ's own largest message, 128 MiB by default) and our own check
	 * dead-letters oversized messages.
	 * @param maxBodySize the largest message body the worker accepts
	 * @return the inbound message body limit for the RabbitMQ client, in bytes
	 */
	static int inboundClientLimit(DataSize maxBodySize) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(RABBITMQ_MAX_MESSAGE_SIZE, maxBodySize.toBytes() + 1));
	}

	@Bean
	AmqpConnection taskQueueAmqpConnection(
			@Qualifier(CONNECTION_FACTORY_BEAN_NAME) ObjectProvider<ConnectionFactory> fromUrl,
			ObjectProvider<ConnectionFactory> application, TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties) {
		ConnectionFactory own = fromUrl.getIfAvailable();
		if (own != null) {
			return new AmqpConnection(own, brokerUrl(connectionDetails).masked());
		}
		ConnectionTls.requireNone(properties.getBroker().getSsl(), "taskqueue.broker",
				"taskqueue.broker.url is not set: configure the TLS of the application's RabbitMQ connection with "
						+ "spring.rabbitmq.ssl.*");
		ConnectionFactory applications = application.getIfUnique();
		if (applications == null) {
			throw new InvalidConfigurationPropertyValueException(TaskQueueUrl.BROKER_PROPERTY, null,
					"it is not set and the application has several RabbitMQ ConnectionFactory beans, none of them "
							+ "primary: set it, or mark the connection factory to use @Primary");
		}
		return AmqpConnection.of(applications);
	}

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	AmqpBroker taskQueueBroker(AmqpConnection connection, MessageCodec codec, TaskRouter router,
			TaskQueueProperties properties) {
		Map<String, QueueSpec> queues = new LinkedHashMap<>(TaskQueueRouting.queues(properties));
		queues.putIfAbsent(properties.getDefaultQueue(), queue(router, properties.getDefaultQueue(), properties));
		properties.getWorker().getQueues().forEach((name) -> queues.putIfAbsent(name, queue(router, name, properties)));
		deliveryLimitWarnings(queues.values(), properties.getTask().getMaxDeliveries()).forEach(logger::warn);
		TaskQueueProperties.Broker.Amqp amqp = properties.getBroker().getAmqp();
		AmqpTransportOptions options = new AmqpTransportOptions(connection.url(), queues, amqp.isPublisherConfirms(),
				amqp.getConfirmTimeout(), amqp.getMaxInFlight());
		return new AmqpBroker(connection.connectionFactory(), codec, options);
	}

	/**
	 * What to warn of about quorum queues whose own delivery limit ({@code x-delivery-limit})
	 * is reached before the worker's {@code max-deliveries}: RabbitMQ then drops the message (or
	 * dead-letters it to the queue's {@code x-dead-letter-exchange}) without a FAILURE stored.
	 * The worker dead-letters a message on its delivery {@code max-deliveries + 1}, which
	 * RabbitMQ makes only when {@code x-delivery-limit >= max-deliveries}.
	 * @param queues the declared queues
	 * @param maxDeliveries the most deliveries of a message, {@code 0} for no limit
	 * @return the warnings, none when every limit fits
	 */
	static List<String> deliveryLimitWarnings(Collection<QueueSpec> queues, int maxDeliveries) {
		List<String> warnings = new ArrayList<>();
		for (QueueSpec queue : queues) {
			Object argument = queue.arguments().get(DELIVERY_LIMIT);
			Long limit = (argument instanceof Number number) ? Long.valueOf(number.longValue())
					: (argument != null && argument.toString().matches("\\d{1,18}")) ? Long.valueOf(argument.toString())
							: null;
			if (!queue.quorum() || limit == null || (maxDeliveries > 0 && limit >= maxDeliveries)) {
				continue;
			}
			boolean deadLettered = queue.arguments().containsKey("x-dead-letter-exchange");
			warnings.add("Quorum queue '" + queue.name() + "' has " + DELIVERY_LIMIT + "=" + limit
					+ ((maxDeliveries > 0) ? ", below taskqueue.task.max-deliveries=" + maxDeliveries
							: " but taskqueue.task.max-deliveries=0 (no limit)")
					+ ": RabbitMQ " + (deadLettered ? "dead-letters to its x-dead-letter-exchange" : "drops")
					+ " a message returned more than " + limit + " times before the worker dead-letters it to '"
					+ queue.name() + ".dead-letter' and stores FAILURE WorkerLostError. Set " + DELIVERY_LIMIT
					+ " to at least " + Math.max(maxDeliveries, 1) + ", or max-deliveries to at most " + limit);
		}
		return warnings;
	}

	/**
	 * The queue to declare: as the router declares it when it is the default router, else as
	 * configured or with Celery's defaults (a custom router's destinations carry their own
	 * queues, declared when first published to).
	 * @param router the task router
	 * @param name the queue name
	 * @param properties the taskqueue properties
	 * @return the queue to declare
	 */
	private static QueueSpec queue(TaskRouter router, String name, TaskQueueProperties properties) {
		if (router instanceof DefaultTaskRouter defaultRouter) {
			return defaultRouter.queue(name);
		}
		return QueueSpec.defaults(name).withDefaultMaxPriority(properties.getQueueMaxPriority());
	}

	private static TaskQueueUrl brokerUrl(TaskQueueConnectionDetails connectionDetails) {
		return TaskQueueUrl.broker(connectionDetails.brokerUrl()).requireTransport("amqp", "amqps");
	}

	static final class AmqpBrokerCondition extends AnyNestedCondition {

		AmqpBrokerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = { "amqp", "amqps" })
		static final class AmqpUrl {

		}

		@ConditionalOnUrlScheme(property = "taskqueue.broker.url", schemes = {}, matchIfMissing = true)
		@ConditionalOnBean(type = RABBIT_CONNECTION_FACTORY)
		static final class ApplicationRabbitConnection {

		}

	}

}
