package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Address;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for broker URLs listing the nodes of a RabbitMQ cluster, separated by {@code ;} as in
 * Celery: the connection factory gets every node, the credentials and virtual host of the first
 * URL and the order of the failover strategy; and, against the machine's RabbitMQ, a URL whose
 * first node does not answer sends and runs tasks on the second.
 */
class TaskQueueAmqpClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void everyNodeWithTheCredentialsAndVirtualHostOfTheFirstUrl() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://app:s%40cret@rabbit-1.local:5673/orders;"
					+ "amqp://rabbit-2.local;amqp://app:s%40cret@[::1]:5674/orders")
			.run((context) -> {
				CachingConnectionFactory factory = factory(context);
				assertThat(addresses(factory)).containsExactly("rabbit-1.local:5673", "rabbit-2.local:5672",
						"[::1]:5674");
				assertThat(addresses((AbstractConnectionFactory) factory.getPublisherConnectionFactory()))
					.containsExactly("rabbit-1.local:5673", "rabbit-2.local:5672", "[::1]:5674");
				assertThat(factory.getUsername()).isEqualTo("app");
				assertThat(factory.getRabbitConnectionFactory().getPassword()).isEqualTo("s@cret");
				assertThat(factory.getVirtualHost()).isEqualTo("orders");
				assertThat(context.getBean(Broker.class).url()).isEqualTo("amqp://app:**@rabbit-1.local:5673/orders;"
						+ "amqp://rabbit-2.local;amqp://app:**@[::1]:5674/orders");
			});
	}

	@Test
	void amqpsNodesUseTheTlsPortByDefault() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=amqps://a.local;amqps://b.local:5000")
			.run((context) -> {
				CachingConnectionFactory factory = factory(context);
				assertThat(addresses(factory)).containsExactly("a.local:5671", "b.local:5000");
				assertThat(factory.getRabbitConnectionFactory().isSSL()).isTrue();
			});
	}

	@Test
	void oneNodeKeepsHostAndPortWithoutAddresses() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@rabbit.local:5673//")
			.run((context) -> {
				CachingConnectionFactory factory = factory(context);
				assertThat(ReflectionTestUtils.getField(factory, "addresses")).isNull();
				assertThat(factory.getHost()).isEqualTo("rabbit.local");
				assertThat(factory.getPort()).isEqualTo(5673);
			});
	}

	@Test
	void roundRobinByDefaultGoesOnFromTheNodeLastConnectedTo() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=amqp://a.local;amqp://b.local").run((context) -> {
			CachingConnectionFactory factory = factory(context);
			assertThat(shuffleMode(factory)).isEqualTo(AddressShuffleMode.INORDER);
			assertThat(shuffleMode((AbstractConnectionFactory) factory.getPublisherConnectionFactory()))
				.isEqualTo(AddressShuffleMode.INORDER);
		});
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://a.local;amqp://b.local",
					"taskqueue.broker.amqp.failover-strategy=round-robin")
			.run((context) -> assertThat(shuffleMode(factory(context))).isEqualTo(AddressShuffleMode.INORDER));
	}

	@Test
	void shuffleTriesTheNodesInARandomOrder() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://a.local;amqp://b.local",
					"taskqueue.broker.amqp.failover-strategy=shuffle")
			.run((context) -> {
				CachingConnectionFactory factory = factory(context);
				assertThat(shuffleMode(factory)).isEqualTo(AddressShuffleMode.RANDOM);
				assertThat(shuffleMode((AbstractConnectionFactory) factory.getPublisherConnectionFactory()))
					.isEqualTo(AddressShuffleMode.RANDOM);
			});
	}

	@Test
	void unknownFailoverStrategyIsRefused() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://a.local;amqp://b.local",
					"taskqueue.broker.amqp.failover-strategy=sticky")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("No enum constant")
				.hasMessageContaining("FailoverStrategy.sticky"));
	}

	@Test
	void amqpAndAmqpsNodesAreNotMixed() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqp://app:hunter2@a.local//;amqps://app:hunter2@b.local//")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property taskqueue.broker.url with value "
							+ "'amqp://app:**@a.local//;amqps://app:**@b.local//' is invalid")
					.hasMessageContaining("it mixes amqp:// and amqps:// nodes")
					.hasMessageNotContaining("hunter2");
			});
	}

	@Test
	void laterNodesNamingOtherCredentialsOrVirtualHostAreRefused() {
		for (String second : List.of("amqp://other:hunter2@b.local/orders", "amqp://app:other-secret@b.local/orders",
				"amqp://app:hunter2@b.local/billing", "amqp://b.local//")) {
			this.contextRunner.withPropertyValues("taskqueue.broker.url=amqp://app:hunter2@a.local/orders;" + second)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("Property taskqueue.broker.url")
						.hasMessageContaining("names another")
						.hasMessageContaining("the nodes of one RabbitMQ cluster share their users and virtual hosts")
						.hasMessageNotContaining("hunter2")
						.hasMessageNotContaining("other-secret");
				});
		}
		this.contextRunner
			.withPropertyValues(
					"taskqueue.broker.url=amqp://guest:guest@a.local//;amqp://b.local;amqp://guest@c.local/%2F")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void firstNodeDownTasksAreSentAndRunOnTheSecond() throws IOException {
		String queue = "failover-" + UUID.randomUUID().toString().substring(0, 8);
		RabbitServer.ensureRunning();
		String url = "amqp://guest:guest@127.0.0.1:" + closedPort() + "//;" + RabbitServer.URL;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FailoverTasks.Application.class)
			.web(WebApplicationType.NONE)
			.properties(Map.of("taskqueue.broker.url", url, "taskqueue.backend.url", "rpc://",
					"taskqueue.default-queue", queue, "taskqueue.worker.concurrency", 1,
					"taskqueue.worker.hostname", "celery@" + queue))
			.run()) {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			assertThat(tasks.send("failover.add", 2, 3).get(TIMEOUT)).isEqualTo(5);
			assertThat(context.getBean(FailoverTasks.class).runs()).containsExactly(5);
			CachingConnectionFactory factory = context.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME,
					CachingConnectionFactory.class);
			try (Connection connection = factory.createConnection()) {
				assertThat(connection.getDelegate().getPort()).isEqualTo(RabbitServer.PORT);
			}
		}
		finally {
			RabbitServer.deleteQueues(queue);
		}
	}

	// a port of this host that nothing listens on: connecting to it is refused at once
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static CachingConnectionFactory factory(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME, CachingConnectionFactory.class);
	}

	// the addresses Spring AMQP connects to, read from its field: it has no public getter
	@SuppressWarnings("unchecked")
	private static List<String> addresses(AbstractConnectionFactory factory) {
		List<Address> addresses = (List<Address>) ReflectionTestUtils.getField(factory, "addresses");
		assertThat(addresses).isNotNull();
		return addresses.stream().map((address) -> address.getHost() + ":" + address.getPort()).toList();
	}

	// the address shuffle mode, read from its field: it has no public getter
	private static Object shuffleMode(AbstractConnectionFactory factory) {
		return ReflectionTestUtils.getField(factory, "addressShuffleMode");
	}

}
