package dev.taskqueue.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * The machine's real Redis the tests use, {@code 127.0.0.1:6379} (or the port in the system
 * property {@code taskqueue.test.redis.port}), started the way {@code .ci/run} starts it when
 * it does not answer. Each test class uses a database number of its own; a test that stops
 * Redis starts it again.
 */
public final class RedisServer {

	/** The host of the machine's Redis. */
	public static final String HOST = "127.0.0.1";

	/** Its port: 6379 unless {@code taskqueue.test.redis.port} says otherwise. */
	public static final int PORT = Integer.getInteger("taskqueue.test.redis.port", 6379);

	private static final Duration START_WAIT = Duration.ofSeconds(60);

	private RedisServer() {
	}

	/**
	 * The URL of a database of the machine's Redis.
	 * @param database the database number
	 * @return the {@code redis://} URL
	 */
	public static String url(int database) {
		return "redis://" + HOST + ":" + PORT + "/" + database;
	}

	/**
	 * Wait until Redis answers PING, starting it (once) if it does not answer within two
	 * seconds: another test may be restarting it.
	 */
	public static synchronized void ensureRunning() {
		if (ping(PORT)) {
			return;
		}
		long startAfter = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		AtomicBoolean started = new AtomicBoolean();
		await().atMost(START_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (ping(PORT)) {
				return true;
			}
			if (System.nanoTime() > startAfter && started.compareAndSet(false, true)) {
				startServer(PORT, Path.of("/var/lib/redis"), Path.of("/var/log/redis/ci.log"));
			}
			return false;
		});
	}

	/** Stop the machine's Redis without saving, as a crash would, and wait until it is gone. */
	public static void stop() {
		stop(PORT);
	}

	/**
	 * Stop a Redis without saving and wait until it is gone.
	 * @param port its port
	 */
	public static void stop(int port) {
		TestProcesses.run(Duration.ofSeconds(10), "redis-cli", "-h", HOST, "-p", Integer.toString(port), "shutdown",
				"nosave");
		await().atMost(Duration.ofSeconds(30)).until(() -> !ping(port));
	}

	/** Start the machine's Redis if it does not answer, and wait for it. */
	public static void start() {
		if (!ping(PORT)) {
			startServer(PORT, Path.of("/var/lib/redis"), Path.of("/var/log/redis/ci.log"));
		}
		ensureRunning();
	}

	/**
	 * Start a Redis of the test's own on another port, without persistence, and wait for it.
	 * @param port the port
	 * @param dir its working directory
	 */
	public static void startOwn(int port, Path dir) {
		startServer(port, dir, dir.resolve("redis.log"));
		await().atMost(Duration.ofSeconds(10)).until(() -> ping(port));
	}

	/**
	 * Run a command with {@code redis-cli} against a Redis (or Sentinel) of this host.
	 * @param port its port
	 * @param command the command and its arguments
	 * @return the exit status and what it printed
	 */
	public static TestProcesses.Result cli(int port, String... command) {
		List<String> line = new ArrayList<>(List.of("redis-cli", "-h", HOST, "-p", Integer.toString(port)));
		line.addAll(List.of(command));
		return TestProcesses.run(Duration.ofSeconds(10), line);
	}

	/**
	 * Whether a Redis answers PING on a port of this host.
	 * @param port the port
	 * @return whether it answered {@code PONG} within a second
	 */
	public static boolean ping(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] reply = new byte[7];
			InputStream in = socket.getInputStream();
			int read = in.readNBytes(reply, 0, 7);
			return read == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A started connection factory for a database of the machine's Redis, as the
	 * auto-configuration builds one.
	 * @param database the database number
	 * @param clientName the client name {@code CLIENT LIST} shows, or {@code null}
	 * @param resources the client resources to use, or {@code null} for the factory's own
	 * @return the factory, to destroy after the test
	 */
	public static LettuceConnectionFactory connectionFactory(int database, @Nullable String clientName,
			@Nullable ClientResources resources) {
		ensureRunning();
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(HOST, PORT);
		server.setDatabase(database);
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(10));
		if (clientName != null) {
			client.clientName(clientName);
		}
		if (resources != null) {
			client.clientResources(resources);
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static void startServer(int port, Path dir, Path logFile) {
		List<String> command = new ArrayList<>(List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
				"-::1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", dir.toString(),
				"--logfile", logFile.toString()));
		TestProcesses.run(Duration.ofSeconds(10), command);
	}

}
