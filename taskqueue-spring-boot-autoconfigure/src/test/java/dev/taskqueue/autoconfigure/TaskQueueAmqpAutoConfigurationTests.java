package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.rpc.RpcResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the RabbitMQ broker and rpc:// backend auto-configuration, against the local
 * RabbitMQ.
 */
class TaskQueueAmqpAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url=rpc://");

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
					.hasMessageContaining("taskqueue.backend.url=rpc:// sends results over RabbitMQ");
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
			.create(TaskQueueUrl.parse(url, "taskqueue.broker.url", TaskQueueUrl.BROKER_SCHEMES), "test");
		return (CachingConnectionFactory) factory;
	}

}
