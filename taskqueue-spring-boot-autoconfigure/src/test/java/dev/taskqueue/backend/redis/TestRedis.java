package dev.taskqueue.backend.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.protocol.CeleryJson;

/**
 * The real Redis the tests of this package use: {@code 127.0.0.1:6379}, database 7, started
 * when it is down (another test may be restarting it, so setup waits for it).
 */
final class TestRedis {

	static final String HOST = "127.0.0.1";

	static final int PORT = 6379;

	static final int DATABASE = 7;

	static final String URL = "redis://" + HOST + ":" + PORT + "/" + DATABASE;

	private static final List<String> START = List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
			"-::1", "--port", "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile",
			"/var/log/redis/ci.log");

	private TestRedis() {
	}

	/** Wait until Redis answers PING, starting it if it does not answer soon. */
	static void ensureRunning() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long startAfter = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		boolean started = false;
		while (!ping()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Redis at " + HOST + ":" + PORT + " does not answer");
			}
			if (!started && System.nanoTime() > startAfter) {
				run(START);
				started = true;
			}
			sleep(100);
		}
	}

	/** Stop Redis without saving, as a crash would, and wait until it is gone. */
	static void shutdown() {
		run(List.of("redis-cli", "-h", HOST, "-p", String.valueOf(PORT), "shutdown", "nosave"));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (ping() && System.nanoTime() < deadline) {
			sleep(50);
		}
	}

	/** Start Redis (if it is not running) and wait for it. */
	static void start() {
		if (!ping()) {
			run(START);
		}
		ensureRunning();
	}

	static boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 500);
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

	/** A started connection factory for database 7, as the auto-configuration builds it. */
	static LettuceConnectionFactory connectionFactory(String clientName, ClientResources resources) {
		ensureRunning();
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(HOST, PORT);
		server.setDatabase(DATABASE);
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientName(clientName)
			.clientResources(resources)
			.commandTimeout(Duration.ofSeconds(10))
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * A connection factory that hands out the connections of the given one, but is no
	 * {@link LettuceConnectionFactory}.
	 */
	static RedisConnectionFactory notLettuce(LettuceConnectionFactory factory) {
		return (RedisConnectionFactory) Proxy.newProxyInstance(TestRedis.class.getClassLoader(),
				new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, arguments) -> {
					try {
						return method.invoke(factory, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	/** A plain Lettuce client of database 7, to look at what the backend did. */
	static RedisClient client(ClientResources resources) {
		ensureRunning();
		return RedisClient.create(resources, RedisURI.create(URL));
	}

	static StatefulRedisConnection<String, String> connect(RedisClient client) {
		return client.connect();
	}

	/** Subscribe a raw subscriber and return the messages it receives. */
	static BlockingQueue<String> subscribe(StatefulRedisPubSubConnection<String, String> connection,
			String channel) {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String from, String message) {
				if (from.equals(channel)) {
					messages.add(message);
				}
			}

		});
		connection.sync().subscribe(channel);
		return messages;
	}

	static String taskId() {
		return "java-" + UUID.randomUUID();
	}

	static String key(String taskId) {
		return RedisResultBackend.KEY_PREFIX + taskId;
	}

	/** A fixture under {@code src/test/resources/celery-fixtures}. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> fixture(String path) {
		try (InputStream in = TestRedis.class.getResourceAsStream("/celery-fixtures/" + path)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + path);
			}
			return (Map<String, Object>) CeleryJson.newMapper().readValue(in, Object.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	/** Celery 5.2's JSON with {@code date_done} written with the offset this library adds. */
	static String withOffset(String celeryJson) {
		return celeryJson.replaceAll("(\"date_done\": \"[0-9T:.-]+)\"", "$1+00:00\"");
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
