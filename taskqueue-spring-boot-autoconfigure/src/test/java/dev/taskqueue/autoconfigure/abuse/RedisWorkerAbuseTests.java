package dev.taskqueue.autoconfigure.abuse;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CeleryJson;

/**
 * {@link WorkerAbuseTests} on Redis: messages are pushed as kombu envelopes with a plain
 * Lettuce client, to database 9 under a key prefix of this class's own; dead letters are read
 * back as kombu-style records with the same client.
 */
class RedisWorkerAbuseTests extends WorkerAbuseTests {

	private static final String URL = "redis://127.0.0.1:6379/9";

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	private final String prefix = "abuse-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final List<String> reasons = new CopyOnWriteArrayList<>();

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
	void publishRaw(Map<String, Object> headers, String contentType, String contentEncoding, byte[] body) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("correlation_id", String.valueOf(headers.get("id")));
		properties.put("delivery_mode", 2);
		properties.put("delivery_info", Map.of("exchange", "", "routing_key", this.queue));
		properties.put("priority", 0);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("body", Base64.getEncoder().encodeToString(body));
		envelope.put("content-encoding", contentEncoding);
		envelope.put("content-type", contentType);
		envelope.put("headers", headers);
		envelope.put("properties", properties);
		this.connection.sync().lpush(this.prefix + this.queue, MAPPER.writeValueAsString(envelope));
	}

	/** Takes the dead letters out as it reads them, so that large ones are read once. */
	@Override
	List<String> deadLetterReasons() {
		String key = this.prefix + this.queue + ".dead-letter";
		for (String record = this.connection.sync().rpop(key); record != null; record = this.connection.sync()
			.rpop(key)) {
			this.reasons.add(String.valueOf(MAPPER.readValue(record, Map.class).get("reason")));
		}
		return this.reasons;
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
