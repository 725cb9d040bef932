package dev.taskqueue.autoconfigure.timelimit;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeAll;

import static org.awaitility.Awaitility.await;

/**
 * {@link TimeLimitBrokerTests} on Redis, broker and backend in database 8 under a key prefix of
 * this class's own: a settled message has left kombu's {@code unacked} hash.
 */
class RedisTimeLimitTests extends TimeLimitBrokerTests {

	private static final String URL = "redis://127.0.0.1:6379/8";

	private final String prefix = "tl-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	@BeforeAll
	void connect() {
		this.client = RedisClient.create(URL);
		this.connection = this.client.connect();
	}

	@Override
	Map<String, Object> brokerProperties() {
		return Map.of("taskqueue.broker.url", URL, "taskqueue.backend.url", URL,
				"taskqueue.broker.redis.global-keyprefix", this.prefix);
	}

	@Override
	void awaitNothingUnacknowledged() {
		await().atMost(TIMEOUT).until(() -> this.connection.sync().hlen(this.prefix + "unacked") == 0);
	}

	@Override
	void cleanUp() {
		if (this.connection == null) {
			return;
		}
		RedisCommands<String, String> redis = this.connection.sync();
		List<String> keys = redis.scan(ScanArgs.Builder.matches(this.prefix + "*").limit(10_000)).getKeys();
		if (!keys.isEmpty()) {
			redis.del(keys.toArray(String[]::new));
		}
		this.connection.close();
		this.client.shutdown();
	}

}
