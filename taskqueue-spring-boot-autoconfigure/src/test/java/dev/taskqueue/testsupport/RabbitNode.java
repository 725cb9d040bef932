package dev.taskqueue.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ node of a test's own on this host, next to the machine's one ({@link RabbitServer},
 * never touched): its own node name, AMQP and distribution ports, data and log directories and
 * Erlang cookie (under the test's directory), no plugins, so that nothing clashes with the
 * machine's node. The test starts it, stops it as a node of a cluster going down would be
 * stopped, and closes it at the end; only the processes it started are ended.
 */
public final class RabbitNode implements AutoCloseable {

	private static final Duration START_WAIT = Duration.ofSeconds(60);

	private static final Duration STOP_WAIT = Duration.ofSeconds(30);

	private static final Path DEBIAN_SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

	private final int port;

	private final Path directory;

	private final Process process;

	private final Duration startTime;

	private RabbitNode(int port, Path directory, Process process, Duration startTime) {
		this.port = port;
		this.directory = directory;
		this.process = process;
		this.startTime = startTime;
	}

	/**
	 * Start a node and wait until it accepts AMQP connections, with the default user
	 * guest/guest on the virtual host {@code /}.
	 * @param name the node name, such as {@code tq-failover@localhost}
	 * @param port the AMQP port on 127.0.0.1
	 * @param distributionPort the Erlang distribution port
	 * @param directory a directory of the test's own for its data, logs and cookie
	 * @return the running node, to close after the test
	 * @throws IllegalStateException when a port is taken or it did not start in time
	 */
	public static RabbitNode start(String name, int port, int distributionPort, Path directory) {
		for (int taken : List.of(port, distributionPort)) {
			if (listening(taken)) {
				throw new IllegalStateException("Port " + taken + " of " + RabbitServer.HOST
						+ " is taken: another test's RabbitMQ node may still run");
			}
		}
		try {
			Path home = Files.createDirectories(directory.resolve("home"));
			Path config = Files.writeString(directory.resolve("rabbitmq.conf"),
					"listeners.tcp.local = " + RabbitServer.HOST + ":" + port + "\n", StandardCharsets.UTF_8);
			Path plugins = Files.writeString(directory.resolve("enabled_plugins"), "[].\n", StandardCharsets.UTF_8);
			Path environment = Files.writeString(directory.resolve("rabbitmq-env.conf"), "", StandardCharsets.UTF_8);
			ProcessBuilder builder = new ProcessBuilder(
					Files.isExecutable(DEBIAN_SERVER) ? DEBIAN_SERVER.toString() : "rabbitmq-server");
			Map<String, String> env = builder.environment();
			env.put("HOME", home.toString());
			env.put("RABBITMQ_NODENAME", name);
			env.put("RABBITMQ_NODE_IP_ADDRESS", RabbitServer.HOST);
			env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
			env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
			env.put("RABBITMQ_MNESIA_BASE", Files.createDirectories(directory.resolve("mnesia")).toString());
			env.put("RABBITMQ_LOG_BASE", Files.createDirectories(directory.resolve("log")).toString());
			env.put("RABBITMQ_CONFIG_FILE", config.toString());
			env.put("RABBITMQ_CONF_ENV_FILE", environment.toString());
			env.put("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString());
			env.put("ERL_EPMD_ADDRESS", RabbitServer.HOST);
			env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
			builder.redirectErrorStream(true).redirectOutput(directory.resolve("server.out").toFile());
			long started = System.nanoTime();
			Process process = builder.start();
			RabbitNode node = new RabbitNode(port, directory, process,
					Duration.ofNanos(System.nanoTime() - started));
			try {
				await().atMost(START_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("RabbitMQ node " + name + " exited with "
								+ process.exitValue() + ": " + node.output());
					}
					return listening(port);
				});
			}
			catch (ConditionTimeoutException ex) {
				node.close();
				throw new IllegalStateException("RabbitMQ node " + name + " did not start in " + START_WAIT + ": "
						+ node.output(), ex);
			}
			return new RabbitNode(port, directory, process, Duration.ofNanos(System.nanoTime() - started));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Its AMQP port. */
	public int port() {
		return this.port;
	}

	/** Its URL with the guest password, on the virtual host {@code /}. */
	public String url() {
		return "amqp://guest:guest@" + RabbitServer.HOST + ":" + this.port + "//";
	}

	/** How long it took to accept connections. */
	public Duration startTime() {
		return this.startTime;
	}

	/** Whether it accepts connections. */
	public boolean running() {
		return listening(this.port);
	}

	/**
	 * Stop the node as its operating system's service would (SIGTERM: RabbitMQ closes the
	 * client connections and shuts down), and wait until it is gone; what it started and left
	 * behind is then killed.
	 */
	public void stop() {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		await().atMost(STOP_WAIT).pollInterval(Duration.ofMillis(50)).until(() -> !listening(this.port));
	}

	@Override
	public void close() {
		if (this.process.isAlive() || running()) {
			stop();
		}
	}

	// what the node printed, for failure messages
	private String output() {
		try {
			return Files.readString(this.directory.resolve("server.out"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	// whether something accepts connections on a port of 127.0.0.1
	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(RabbitServer.HOST, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
