package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ closes the broker's connection ({@code rabbitmqctl close_connection}, as on a
 * broker restart or a network failure, without stopping the RabbitMQ others share): the
 * unacknowledged delivery comes back marked redelivered, settling the stale one does not
 * throw, and consuming and publishing carry on by themselves.
 */
class AmqpBrokerReconnectTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@Test
	void consumerAndPublisherRecoverWhenRabbitMqClosesTheConnection() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("reconnect");
		broker.publish(AmqpTestSupport.message(queue, "before", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 4), handler)) {
			Delivery unsettled = handler.await(1).get(0);
			closeConnectionFromServer();
			await().atMost(Duration.ofSeconds(10)).until(() -> publishes(broker, queue, "after"));
			List<Delivery> deliveries = handler.await(3);
			unsettled.ack();
			assertThat(deliveries.subList(1, 3)).extracting((delivery) -> delivery.message().id())
				.containsExactlyInAnyOrder("before", "after");
			Delivery redelivered = deliveries.stream().skip(1)
				.filter((delivery) -> delivery.message().id().equals("before"))
				.findFirst()
				.orElseThrow();
			assertThat(redelivered.redelivered()).isTrue();
			deliveries.subList(1, 3).forEach(Delivery::ack);
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.size(queue) == 0);
			broker.publish(AmqpTestSupport.message(queue, "later", 0));
			assertThat(handler.await(4).get(3).message().id()).isEqualTo("later");
			handler.deliveries.get(3).ack();
		}
		broker.ping();
	}

	@Test
	void consumingWhileRabbitMqIsUnreachableStartsAndStops() {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 1);
		AmqpBroker broker = new AmqpBroker(factory, AmqpTestSupport.CODEC,
				AmqpTransportOptions.defaults("amqp://guest:****@127.0.0.1:1//"));
		try {
			RecordingHandler handler = new RecordingHandler();
			Consumption consumption = broker.consume(new ConsumerSettings(List.of("unreachable"), 4), handler);
			TestProcesses.sleep(1500);
			consumption.close();
			assertThat(handler.deliveries).isEmpty();
		}
		finally {
			broker.destroy();
			factory.destroy();
		}
	}

	private static boolean publishes(AmqpBroker broker, String queue, String id) {
		try {
			broker.publish(AmqpTestSupport.message(queue, id, 0));
			return true;
		}
		catch (BrokerException ex) {
			return false;
		}
	}

	private void closeConnectionFromServer() {
		int port = this.rabbit.factory.createConnection().getLocalPort();
		TestProcesses.Result connections = TestProcesses.run(Duration.ofSeconds(30), "rabbitmqctl",
				"list_connections", "-q", "--no-table-headers", "pid", "peer_port");
		String pid = connections.stdout()
			.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 2 && columns[1].trim().equals(Integer.toString(port)))
			.map((columns) -> columns[0].trim())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No connection from port " + port + " in "
					+ connections.output()));
		TestProcesses.Result closed = TestProcesses.run(Duration.ofSeconds(30), "rabbitmqctl", "close_connection",
				pid, "taskqueue reconnect test");
		assertThat(closed.exit()).as(closed.output()).isZero();
	}

}
