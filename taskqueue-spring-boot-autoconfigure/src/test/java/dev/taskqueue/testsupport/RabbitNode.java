package dev.taskqueue.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

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

	private static final Path DEBIAN_CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final String name;

	private final int port;

	private final Path directory;

	private final Process process;

	private final Duration startTime;

	private RabbitNode(String name, int port, Path directory, Process process, Duration startTime) {
		this.name = name;
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
		return start(name, port, distributionPort, directory, null);
	}

	/**
	 * Start a node as {@link #start(String, int, int, Path)} does, with a given Erlang cookie,
	 * which the nodes of one cluster share.
	 * @param name the node name, such as {@code tq-a@localhost}
	 * @param port the AMQP port on 127.0.0.1
	 * @param distributionPort the Erlang distribution port
	 * @param directory a directory of the test's own for its data, logs and cookie
	 * @param cookie the Erlang cookie, or {@code null} for one of its own
	 * @return the running node, to close after the test
	 * @throws IllegalStateException when a port is taken or it did not start in time
	 */
	public static RabbitNode start(String name, int port, int distributionPort, Path directory,
			@Nullable String cookie) {
		for (int taken : List.of(port, distributionPort)) {
			if (listening(taken)) {
				throw new IllegalStateException("Port " + taken + " of " + RabbitServer.HOST
						+ " is taken: another test's RabbitMQ node may still run");
			}
		}
		try {
			Path home = Files.createDirectories(directory.resolve("home"));
			if (cookie != null) {
				Path cookieFile = Files.writeString(home.resolve(".erlang.cookie"), cookie, StandardCharsets.US_ASCII);
				Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
			}
			Path config = Files.writeString(directory.resolve("rabbitmq.conf"),
					"listeners.tcp.local = " + RabbitServer.HOST + ":" + port + "\n", StandardCharsets.UTF_8);
			Path plugins = Files.writeString(directory.resolve("enabled_plugins"), "[].\n", StandardCharsets.UTF_8);
			Files.writeString(directory.resolve("rabbitmq-env.conf"), "", StandardCharsets.UTF_8);
			ProcessBuilder builder = new ProcessBuilder(
					Files.isExecutable(DEBIAN_SERVER) ? DEBIAN_SERVER.toString() : "rabbitmq-server");
			Map<String, String> env = builder.environment();
			environment(env, directory);
			env.put("RABBITMQ_NODENAME", name);
			env.put("RABBITMQ_NODE_IP_ADDRESS", RabbitServer.HOST);
			env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
			env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
			env.put("RABBITMQ_MNESIA_BASE", Files.createDirectories(directory.resolve("mnesia")).toString());
			env.put("RABBITMQ_LOG_BASE", Files.createDirectories(directory.resolve("log")).toString());
			env.put("RABBITMQ_CONFIG_FILE", config.toString());
			env.put("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString());
			env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
			builder.redirectErrorStream(true).redirectOutput(directory.resolve("server.out").toFile());
			long started = System.nanoTime();
			Process process = builder.start();
			RabbitNode node = new RabbitNode(name, port, directory, process,
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
			return new RabbitNode(name, port, directory, process, Duration.ofNanos(System.nanoTime() - started));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// what the node's scripts read: its home (and cookie), no machine-wide rabbitmq-env.conf
	private static void environment(Map<String, String> env, Path directory) {
		env.put("HOME", directory.resolve("home").toString());
		env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
		env.put("ERL_EPMD_ADDRESS", RabbitServer.HOST);
	}

	/** Its node name. */
	public String name() {
		return this.name;
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

	/**
	 * Make this node a member of another node's cluster (its data is reset): stop its
	 * application, join, and start it again.
	 * @param seed a node of the cluster, started with the same cookie
	 */
	public void joinCluster(RabbitNode seed) {
		rabbitmqctl("stop_app");
		rabbitmqctl("join_cluster", seed.name);
		rabbitmqctl("start_app");
		rabbitmqctl("await_startup");
	}

	/**
	 * Run {@code rabbitmqctl} against this node.
	 * @param arguments its arguments
	 * @return what it printed
	 * @throws IllegalStateException when it fails or times out
	 */
	public String rabbitmqctl(String... arguments) {
		List<String> command = new ArrayList<>(
				List.of(Files.isExecutable(DEBIAN_CTL) ? DEBIAN_CTL.toString() : "rabbitmqctl", "-n", this.name));
		command.addAll(List.of(arguments));
		try {
			Path out = Files.createTempFile(this.directory, "rabbitmqctl", ".out");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
			environment(builder.environment(), this.directory);
			Process ctl = builder.start();
			if (!ctl.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				ctl.destroyForcibly();
				throw new IllegalStateException(command + " timed out: " + Files.readString(out));
			}
			String output = Files.readString(out);
			if (ctl.exitValue() != 0) {
				throw new IllegalStateException(command + " exited with " + ctl.exitValue() + ": " + output);
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
