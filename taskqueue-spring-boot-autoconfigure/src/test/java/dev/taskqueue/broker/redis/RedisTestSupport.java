package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.testsupport.RedisServer;

/**
 * A broker against the real Redis at 127.0.0.1:6379 (started if down), in database
 * {@value #DB} with a key prefix of its own, and a plain Lettuce client to look at the keys.
 * {@link #close()} removes every key under the prefix; registered with
 * {@code @RegisterExtension} on an instance field, it closes after each test. Also the JSON
 * helpers and the captured kombu fixtures the tests of this package share.
 */
final class RedisTestSupport implements AfterEachCallback, AutoCloseable {

	static final int DB = 5;

	static final JsonMessageCodec CODEC = new JsonMessageCodec();

	/** Reads JSON as Python's {@code json.loads} does. */
	static final JsonMapper MAPPER = CeleryJson.newMapper();

	/** Kombu's separator in priority list names and binding members. */
	static final String SEP = "\u0006\u0016";

	final String prefix = "tq-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	final int port;

	final int db;

	final LettuceConnectionFactory factory;

	final RedisClient client;

	final StatefulRedisConnection<String, String> connection;

	final RedisCommands<String, String> redis;

	private final List<RedisBroker> brokers = new ArrayList<>();

	private final Map<RedisBroker, LettuceConnectionFactory> ownFactories = new IdentityHashMap<>();

	RedisTestSupport() {
		this(RedisServer.PORT, DB);
	}

	RedisTestSupport(int port, int db) {
		this.port = port;
		this.db = db;
		if (port == RedisServer.PORT) {
			RedisServer.ensureRunning();
		}
		this.factory = newFactory();
		this.client = RedisClient.create("redis://" + RedisServer.HOST + ":" + port + "/" + db);
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
	}

	private LettuceConnectionFactory newFactory() {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(RedisServer.HOST, this.port);
		server.setDatabase(this.db);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	String url() {
		return "redis://" + RedisServer.HOST + ":" + this.port + "/" + this.db;
	}

	RedisBroker broker() {
		return broker(Duration.ofHours(1));
	}

	RedisBroker broker(Duration visibilityTimeout) {
		return broker(visibilityTimeout, CODEC);
	}

	RedisBroker broker(Duration visibilityTimeout, MessageCodec codec) {
		return broker(new RedisTransportOptions(url(), visibilityTimeout, this.prefix), codec);
	}

	/** A broker with the given options, which should use {@link #url()} and {@link #prefix}. */
	RedisBroker broker(RedisTransportOptions options, MessageCodec codec) {
		RedisBroker broker = new RedisBroker(this.factory, codec, options);
		this.brokers.add(broker);
		return broker;
	}

	/**
	 * A broker on connections of its own, that {@link #crash(RedisBroker)} can cut off as if
	 * its JVM died.
	 */
	RedisBroker crashableBroker(Duration visibilityTimeout) {
		LettuceConnectionFactory own = newFactory();
		RedisBroker broker = new RedisBroker(own, CODEC, new RedisTransportOptions(url(), visibilityTimeout, this.prefix));
		this.brokers.add(broker);
		this.ownFactories.put(broker, own);
		return broker;
	}

	/**
	 * Close the connections of a {@link #crashableBroker(Duration)}: from now on it
	 * acknowledges, renews and gives back nothing, like a JVM that died.
	 */
	void crash(RedisBroker broker) {
		this.ownFactories.remove(broker).destroy();
	}

	/** A broker ({@link #broker()}) that has published the given messages, in order. */
	RedisBroker brokerWith(OutboundMessage... messages) {
		RedisBroker broker = broker();
		for (OutboundMessage message : messages) {
			broker.publish(message);
		}
		return broker;
	}

	/** A prefixed key. */
	String key(String name) {
		return this.prefix + name;
	}

	static TaskMessage task(String id, int priority) {
		return TaskMessageBuilder.task("tasks.add").id(id).args(List.of(2, 3)).priority(priority).build();
	}

	static OutboundMessage message(String queue, String id, int priority) {
		return new OutboundMessage(CODEC.encode(task(id, priority)), Destination.queue(queue));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		for (RedisBroker broker : this.brokers) {
			broker.destroy();
		}
		try {
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> keys = this.redis.scan(cursor, ScanArgs.Builder.matches(this.prefix + "*").limit(1000));
				if (!keys.getKeys().isEmpty()) {
					this.redis.del(keys.getKeys().toArray(new String[0]));
				}
				cursor = keys;
			}
			while (!cursor.isFinished());
		}
		finally {
			this.connection.close();
			this.client.shutdown();
			this.factory.destroy();
			this.ownFactories.values().forEach(LettuceConnectionFactory::destroy);
		}
	}

	/** A capture under {@code src/test/resources/celery-fixtures/redis-broker}. */
	static Map<String, Object> fixture(String file) {
		try (InputStream in = RedisTestSupport.class.getResourceAsStream("/celery-fixtures/redis-broker/" + file)) {
			return map(MAPPER.readValue(in, Object.class));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The raw envelope of the first message of a capture. */
	static String fixtureRaw(String file) {
		return (String) map(list(fixture(file).get("messages")).get(0)).get("raw");
	}

	/** The {@code delivery_tag} of a raw envelope. */
	static String deliveryTag(String raw) {
		Map<String, Object> properties = map(map(MAPPER.readValue(raw, Object.class)).get("properties"));
		return (String) properties.get("delivery_tag");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (List<Object>) value;
	}

}
