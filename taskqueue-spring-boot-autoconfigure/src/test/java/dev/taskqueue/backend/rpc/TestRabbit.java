package dev.taskqueue.backend.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real RabbitMQ the tests of this package use: {@code 127.0.0.1:5672}, guest/guest, vhost
 * {@code /}, started when it is down (it is shared, so it is never restarted). Connections
 * are named, so that a test can close its own ones with {@code rabbitmqctl}.
 */
final class TestRabbit {

	static final String HOST = "127.0.0.1";

	static final int PORT = 5672;

	static final String URL = "amqp://guest:guest@" + HOST + ":" + PORT + "//";

	static final String MASKED_URL = "rpc://";

	static final Duration ONE_DAY = Duration.ofDays(1);

	private TestRabbit() {
	}

	/** Wait until RabbitMQ accepts connections, starting it when it does not. */
	static void ensureRunning() {
		if (reachable()) {
			return;
		}
		run(List.of("rabbitmq-server", "-detached"));
		run(List.of("rabbitmqctl", "await_startup", "--timeout", "120"));
		assertThat(reachable()).as("RabbitMQ at " + HOST + ":" + PORT).isTrue();
	}

	/**
	 * A connection factory whose connections carry the given name.
	 * @param name the {@code connection_name} client property
	 * @return the factory, to be destroyed by the caller
	 */
	static CachingConnectionFactory connectionFactory(String name) {
		ensureRunning();
		CachingConnectionFactory factory = new CachingConnectionFactory(HOST, PORT);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setVirtualHost("/");
		factory.setConnectionNameStrategy((connectionFactory) -> name);
		return factory;
	}

	/** The queue as {@code rabbitmqctl list_queues} shows it (JSON), or {@code null}. */
	static Map<String, Object> listedQueue(String name) {
		String json = run(List.of("rabbitmqctl", "list_queues", "-q", "--formatter", "json", "name", "durable",
				"auto_delete", "exclusive", "arguments", "consumers"));
		List<?> queues = CeleryJson.newMapper().readValue(json, List.class);
		for (Object queue : queues) {
			Map<?, ?> map = (Map<?, ?>) queue;
			if (name.equals(map.get("name"))) {
				@SuppressWarnings("unchecked")
				Map<String, Object> result = (Map<String, Object>) map;
				return result;
			}
		}
		return null;
	}

	/**
	 * Close, as the broker would on a failure, the connections with the given name only.
	 * @param name the {@code connection_name} of the connections
	 * @return how many were closed
	 */
	static int closeConnections(String name) {
		String listing = run(List.of("rabbitmqctl", "list_connections", "-q", "--no-table-headers", "pid",
				"client_properties"));
		int closed = 0;
		for (String line : listing.split("\n")) {
			if (line.contains("{\"connection_name\",\"" + name + "\"}")) {
				run(List.of("rabbitmqctl", "close_connection", line.substring(0, line.indexOf('\t')),
						"closed by a test"));
				closed++;
			}
		}
		return closed;
	}

	static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
			if (!process.waitFor(150, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + command);
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command + " exited with " + process.exitValue() + ": " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
