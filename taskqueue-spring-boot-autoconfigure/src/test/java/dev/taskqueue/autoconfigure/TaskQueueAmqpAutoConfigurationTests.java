package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.rpc.RpcResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the RabbitMQ broker and rpc:// backend auto-configuration, against the local
 * RabbitMQ.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskQueueAmqpAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url=rpc://");

	private final ApplicationContextRunner applicationRabbit = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672");

	@Test
	void amqpUrlAndRpcSelectRabbitBrokerAndRpcBackend() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AmqpBroker.class).hasSingleBean(RpcResultBackend.class);
			assertThat(context.getBean(Broker.class).url()).isEqualTo("amqp://guest:**@127.0.0.1:5672//");
			context.getBean(Broker.class).ping();
			assertThat(context.getBean(ResultBackend.class).replyTo()).isNotBlank();
			assertThat(context).hasSingleBean(TaskOperations.class);
		});
	}

	@Test
	void connectionFactoryIsNotADefaultCandidate() {
		this.contextRunner.run((context) -> assertThat(((AbstractBeanDefinition) context.getBeanFactory()
			.getBeanDefinition(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME)).isDefaultCandidate()).isFalse());
	}

	@Test
	void rpcNeedsAnAmqpBroker() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.backend.url=rpc://")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property taskqueue.backend.url with value 'rpc://' is invalid")
					.hasMessageContaining("rpc:// sends results over RabbitMQ, but the broker is not RabbitMQ");
			});
	}

	@Test
	void withoutUrlTheApplicationsRabbitConnectionIsUsed() {
		this.applicationRabbit.withPropertyValues("taskqueue.backend.url=rpc://").run((context) -> {
			assertThat(context).hasSingleBean(AmqpBroker.class).hasSingleBean(RpcResultBackend.class);
			assertThat(context).doesNotHaveBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME);
			assertThat(context.getBean(AmqpConnection.class).connectionFactory())
				.isSameAs(context.getBean(ConnectionFactory.class));
			AmqpBroker broker = context.getBean(AmqpBroker.class);
			assertThat(broker.url()).isEqualTo("amqp://guest:**@127.0.0.1:5672//");
			String queue = "taskqueue.test.app-connection." + UUID.randomUUID();
			try {
				broker.publish(new OutboundMessage(new JsonMessageCodec().encode(TaskMessageBuilder.task("t").build()),
						Destination.queue(queue)));
				assertThat(broker.size(queue)).isEqualTo(1);
			}
			finally {
				new RabbitAdmin(context.getBean(ConnectionFactory.class)).deleteQueue(queue);
			}
		});
	}

	@Test
	void theApplicationsRabbitConnectionToSeveralNodesIsDescribedAsAFailoverUrl() {
		this.applicationRabbit
			.withPropertyValues("spring.rabbitmq.addresses=127.0.0.1:5672,rabbit-2.local:5673,[::1]",
					"spring.rabbitmq.username=app", "spring.rabbitmq.password=hunter2",
					"spring.rabbitmq.virtual-host=orders", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(Broker.class).url())
				.isEqualTo("amqp://app:**@127.0.0.1:5672/orders;amqp://app:**@rabbit-2.local:5673/orders;"
						+ "amqp://app:**@[::1]:5672/orders"));
		this.applicationRabbit
			.withPropertyValues("spring.rabbitmq.addresses=amqps://rabbit-1.local,amqps://rabbit-2.local",
					"taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(Broker.class).url())
				.isEqualTo("amqps://guest:**@rabbit-1.local:5671//;amqps://guest:**@rabbit-2.local:5671//"));
		this.applicationRabbit.withPropertyValues("spring.rabbitmq.ssl.enabled=true", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(Broker.class).url())
				.isEqualTo("amqps://guest:**@127.0.0.1:5672//"));
	}

	@Test
	void quorumQueueWhoseDeliveryLimitComesFirstIsWarnedOf(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.queues.votes.arguments.x-queue-type=quorum",
					"taskqueue.queues.votes.arguments.x-delivery-limit=3",
					"taskqueue.queues.polls.arguments.x-queue-type=quorum",
					"taskqueue.queues.polls.arguments.x-delivery-limit=5")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("Quorum queue 'votes' has x-delivery-limit=3, below taskqueue.task.max-deliveries=5: "
							+ "RabbitMQ drops a message returned more than 3 times before the worker dead-letters it "
							+ "to 'votes.dead-letter'")
					.doesNotContain("Quorum queue 'polls'");
			});
	}

	@Test
	void deliveryLimitsAreComparedWithMaxDeliveries() {
		QueueSpec limited = new QueueSpec("q", "q", ExchangeType.DIRECT, "q", true, null,
				Map.of("x-queue-type", "quorum", "x-delivery-limit", 4, "x-dead-letter-exchange", ""));
		assertThat(AmqpBrokerConfiguration.deliveryLimitWarnings(List.of(limited), 5)).singleElement()
			.asString()
			.contains("RabbitMQ dead-letters to its x-dead-letter-exchange")
			.contains("Set x-delivery-limit to at least 5, or max-deliveries to at most 4");
		assertThat(AmqpBrokerConfiguration.deliveryLimitWarnings(List.of(limited), 4)).isEmpty();
		assertThat(AmqpBrokerConfiguration.deliveryLimitWarnings(List.of(limited), 0)).singleElement()
			.asString()
			.contains("but taskqueue.task.max-deliveries=0 (no limit)");
		QueueSpec classic = new QueueSpec("c", "c", ExchangeType.DIRECT, "c", true, null,
				Map.of("x-delivery-limit", 1));
		assertThat(AmqpBrokerConfiguration.deliveryLimitWarnings(List.of(classic, QueueSpec.defaults("d")), 5))
			.isEmpty();
	}

	@Test
	void aUrlWinsOverTheApplicationsRabbitConnection() {
		this.applicationRabbit.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@localhost:5672//")
			.run((context) -> {
				assertThat(context).hasSingleBean(AmqpBroker.class);
				assertThat(context.getBean(AmqpConnection.class).connectionFactory())
					.isSameAs(context.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME))
					.isNotSameAs(context.getBean(ConnectionFactory.class));
				assertThat(context.getBean(Broker.class).url()).isEqualTo("amqp://guest:**@localhost:5672//");
			});
	}

	@Test
	void memoryUrlWinsOverTheApplicationsRabbitConnection() {
		this.applicationRabbit.withPropertyValues("taskqueue.broker.url=memory://")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryBroker.class).doesNotHaveBean(AmqpBroker.class));
	}

	@Test
	void withoutUrlNorRabbitConnectionTheBrokerIsInMemory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(InMemoryBroker.class).doesNotHaveBean(AmqpConnection.class));
	}

	@Test
	void severalApplicationRabbitConnectionsNeedAUrlOrAPrimary() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withBean("one", ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
			.withBean("two", ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("several RabbitMQ ConnectionFactory beans");
			});
	}

	@Test
	void urlGivesHostPortCredentialsAndVirtualHost() {
		assertThat(factory("amqp://guest:guest@127.0.0.1:5672//").getVirtualHost()).isEqualTo("/");
		CachingConnectionFactory custom = factory("amqp://app:s%40cret@rabbit.local:5673/orders");
		assertThat(custom.getHost()).isEqualTo("rabbit.local");
		assertThat(custom.getPort()).isEqualTo(5673);
		assertThat(custom.getUsername()).isEqualTo("app");
		assertThat(custom.getVirtualHost()).isEqualTo("orders");
		assertThat(custom.getRabbitConnectionFactory().getPassword()).isEqualTo("s@cret");
		assertThat(factory("amqp://localhost").getVirtualHost()).isEqualTo("/");
		assertThat(factory("amqps://localhost").getPort()).isEqualTo(5671);
		assertThat(factory("amqp://localhost/%2Fprod").getVirtualHost()).isEqualTo("/prod");
	}

	private static CachingConnectionFactory factory(String url) {
		ConnectionFactory factory = AmqpConnectionFactories
			.create(TaskQueueUrl.parse(url, "taskqueue.broker.url", TaskQueueUrl.BROKER_SCHEMES), "test",
					ConnectionTls.DEFAULT);
		return (CachingConnectionFactory) factory;
	}

}
