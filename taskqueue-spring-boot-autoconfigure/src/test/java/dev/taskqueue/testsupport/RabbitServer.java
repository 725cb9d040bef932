package dev.taskqueue.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The machine's real RabbitMQ the tests use, {@code 127.0.0.1:5672} (or the port in the
 * system property {@code taskqueue.test.rabbitmq.port}), guest/guest on vhost {@code /},
 * started when nothing listens. It is shared: tests name their queues uniquely, and a test
 * that stops the RabbitMQ application starts it again. Connections carry names, so a test can
 * close its own ones with {@code rabbitmqctl}.
 */
public final class RabbitServer {

	/** The host of the machine's RabbitMQ. */
	public static final String HOST = "127.0.0.1";

	/** Its port: 5672 unless {@code taskqueue.test.rabbitmq.port} says otherwise. */
	public static final int PORT = Integer.getInteger("taskqueue.test.rabbitmq.port", 5672);

	/** Its URL with the guest password, as Python clients take it. */
	public static final String URL = "amqp://guest:guest@" + HOST + ":" + PORT + "//";

	/** Its URL with the password masked, as the transports show it. */
	public static final String MASKED_URL = "amqp://guest:****@" + HOST + ":" + PORT + "//";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(150);

	private RabbitServer() {
	}

	/** Wait until RabbitMQ accepts connections, starting it when nothing listens. */
	public static synchronized void ensureRunning() {
		if (listening()) {
			return;
		}
		TestProcesses.run(Duration.ofSeconds(30), "rabbitmq-server", "-detached");
		TestProcesses.run(COMMAND_TIMEOUT, "rabbitmqctl", "await_startup");
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(RabbitServer::listening);
	}

	/**
	 * A connection factory whose connections carry the given name.
	 * @param name the {@code connection_name} client property
	 * @return the factory, to destroy after the test
	 */
	public static CachingConnectionFactory connectionFactory(String name) {
		ensureRunning();
		CachingConnectionFactory factory = new CachingConnectionFactory(HOST, PORT);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setVirtualHost("/");
		factory.setConnectionNameStrategy((connectionFactory) -> name);
		return factory;
	}

	/**
	 * A connection of the plain RabbitMQ Java client, for tests that publish, read or clean up
	 * without the library.
	 * @param name the {@code connection_name} client property
	 * @return the connection, to close after the test
	 */
	public static Connection rawConnection(String name) {
		ensureRunning();
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost(HOST);
		factory.setPort(PORT);
		try {
			return factory.newConnection(name);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Cannot connect to RabbitMQ at " + MASKED_URL, ex);
		}
	}

	/**
	 * Delete queues a test declared, with their dead-letter queues and the exchanges of the
	 * same names (Celery declares one per queue); missing ones are fine.
	 * @param queues the queue names
	 */
	public static void deleteQueues(String... queues) {
		try (Connection connection = rawConnection("test-cleanup"); Channel channel = connection.createChannel()) {
			for (String queue : queues) {
				channel.queueDelete(queue);
				channel.queueDelete(queue + ".dead-letter");
				channel.exchangeDelete(queue);
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Cannot delete the queues " + List.of(queues), ex);
		}
	}

	/** Stop the RabbitMQ application (the Erlang node stays up). */
	public static void stopApp() {
		rabbitmqctl("stop_app");
	}

	/** Start the RabbitMQ application again and wait until it runs. */
	public static void startApp() {
		rabbitmqctl("start_app");
		rabbitmqctl("await_startup");
	}

	/**
	 * A queue as {@code rabbitmqctl list_queues} shows it.
	 * @param name the queue name
	 * @return its name, durable, auto_delete, exclusive, arguments and consumers, or
	 * {@code null} when there is no such queue
	 */
	@SuppressWarnings("unchecked")
	public static @Nullable Map<String, Object> listedQueue(String name) {
		String json = rabbitmqctl("list_queues", "-q", "--formatter", "json", "name", "durable", "auto_delete",
				"exclusive", "arguments", "consumers", "messages_unacknowledged");
		for (Object queue : JsonMapper.builder().build().readValue(json, List.class)) {
			if (queue instanceof Map<?, ?> map && name.equals(map.get("name"))) {
				return (Map<String, Object>) map;
			}
		}
		return null;
	}

	/**
	 * The number of delivered, unacknowledged messages of a queue.
	 * @param queue the queue name
	 * @return the count, 0 when there is no such queue
	 */
	public static int unacknowledged(String queue) {
		Map<String, Object> listed = listedQueue(queue);
		return (listed != null) ? ((Number) listed.get("messages_unacknowledged")).intValue() : 0;
	}

	/**
	 * Close, as the broker would on a failure, the connections with the given name only.
	 * @param name the {@code connection_name} of the connections
	 * @return how many were closed
	 */
	public static int closeConnections(String name) {
		String listing = rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "client_properties");
		int closed = 0;
		for (String line : listing.split("\n")) {
			if (line.contains("{\"connection_name\",\"" + name + "\"}")) {
				rabbitmqctl("close_connection", line.substring(0, line.indexOf('\t')), "closed by a test");
				closed++;
			}
		}
		return closed;
	}

	/**
	 * Run {@code rabbitmqctl}.
	 * @param arguments its arguments
	 * @return what it printed
	 * @throws IllegalStateException when it fails or times out
	 */
	public static String rabbitmqctl(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add("rabbitmqctl");
		command.addAll(List.of(arguments));
		TestProcesses.Result result = TestProcesses.run(COMMAND_TIMEOUT, command);
		if (result.exit() != 0) {
			throw new IllegalStateException(command + " exited with " + result.exit() + ": " + result.output());
		}
		return result.stdout();
	}

	private static boolean listening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
