package dev.taskqueue.backend.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.RedisServer;

/**
 * What the tests of this package share about the real Redis: database 7, task ids and keys,
 * captured Celery results and raw pub/sub subscribers.
 */
final class TestRedis {

	static final int DATABASE = 7;

	static final String URL = RedisServer.url(DATABASE);

	private TestRedis() {
	}

	/** A started connection factory for database 7, as the auto-configuration builds it. */
	static LettuceConnectionFactory connectionFactory(String clientName, ClientResources resources) {
		return RedisServer.connectionFactory(DATABASE, clientName, resources);
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
		RedisServer.ensureRunning();
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

}
