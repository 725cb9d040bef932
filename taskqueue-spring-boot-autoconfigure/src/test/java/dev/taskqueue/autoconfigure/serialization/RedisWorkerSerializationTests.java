package dev.taskqueue.autoconfigure.serialization;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerSerializationTests} on Redis, broker and backend in database 15, the broker's
 * keys under a prefix of this class's own; the stored results and the task messages on the
 * list are read back with a plain Lettuce client.
 */
class RedisWorkerSerializationTests extends WorkerSerializationTests {

	private static final String URL = RedisServer.url(15);

	/** kombu 5.2's msgpack body of {@code add(2, 3)} (redis-broker/15_msgpack capture). */
	private static final String CELERY_ADD_2_3 = "k5ICA4CEqWNhbGxiYWNrc8CoZXJyYmFja3PApWNoYWluwKVjaG9yZMA=";

	private final String prefix = this.queue + ":";

	private RedisClient client;

	private StatefulRedisConnection<byte[], byte[]> connection;

	@BeforeAll
	void connect() {
		RedisServer.ensureRunning();
		this.client = RedisClient.create(URL);
		this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
	}

	@Override
	Map<String, Object> brokerProperties() {
		// results the tests do not delete themselves are gone after ten minutes
		return Map.of("taskqueue.broker.url", URL, "taskqueue.backend.url", URL,
				"taskqueue.broker.redis.global-keyprefix", this.prefix, "taskqueue.backend.result-expires", "10m");
	}

	@Test
	void resultIsStoredAndPublishedInMsgpack() throws InterruptedException {
		String id = UUID.randomUUID().toString();
		String key = "celery-task-meta-" + id;
		BlockingQueue<byte[]> published = new LinkedBlockingQueue<>();
		try (StatefulRedisPubSubConnection<byte[], byte[]> pubSub = this.client.connectPubSub(ByteArrayCodec.INSTANCE)) {
			pubSub.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(byte[] channel, byte[] message) {
					published.add(message);
				}

			});
			pubSub.sync().subscribe(bytes(key));
			assertThat(this.msgpack.task("tasks.add").id(id).args(2, 3).send().get(PROMPTLY)).isEqualTo(5);
			byte[] stored = this.connection.sync().get(bytes(key));
			assertThat(stored[0] & 0xf0).as("a msgpack map").isEqualTo(0x80);
			ResultMeta meta = new JsonResultMetaCodec().decode(stored);
			assertThat(meta.status()).isEqualTo("SUCCESS");
			assertThat(meta.result()).isEqualTo(5);
			assertThat(meta.dateDone()).isNotNull();
			byte[] success = null;
			for (byte[] message = published.poll(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS); message != null
					&& success == null; message = published.poll(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)) {
				success = new JsonResultMetaCodec().decode(message).isReady() ? message : null;
			}
			assertThat(success).isEqualTo(stored);
		}
		finally {
			this.connection.sync().del(bytes(key));
		}
	}

	@Test
	void taskMessageOnTheListIsKombusMsgpack() {
		String idle = this.queue + "-idle";
		this.msgpack.task("tasks.add").queue(idle).args(2, 3).send();
		List<byte[]> messages = this.connection.sync().lrange(bytes(this.prefix + idle), 0, -1);
		assertThat(messages).hasSize(1);
		Map<?, ?> envelope = CeleryJson.newMapper().readValue(messages.get(0), Map.class);
		assertThat(envelope.get("content-type")).isEqualTo("application/x-msgpack");
		assertThat(envelope.get("content-encoding")).isEqualTo("binary");
		assertThat(((Map<?, ?>) envelope.get("properties")).get("body_encoding")).isEqualTo("base64");
		assertThat(envelope.get("body")).isEqualTo(CELERY_ADD_2_3);
		assertThat(Base64.getDecoder().decode((String) envelope.get("body"))[0] & 0xff).isEqualTo(0x93);
	}

	@Test
	void storedMsgpackSuccessIsNotOverwritten() {
		AsyncResult<Object> done = this.msgpack.send("tasks.add", 1, 1);
		assertThat(done.get(PROMPTLY)).isEqualTo(2);
		String key = "celery-task-meta-" + done.id();
		byte[] stored = this.connection.sync().get(bytes(key));
		// a JSON backend (the other application) must keep a msgpack SUCCESS, as Celery keeps any SUCCESS
		this.jsonApp.getBean(ResultBackend.class).store(ResultMeta.of(done.id(), "STARTED", Map.of()));
		assertThat(this.connection.sync().get(bytes(key))).isEqualTo(stored);
		this.connection.sync().del(bytes(key));
	}

	@Override
	void cleanUp() {
		if (this.connection == null) {
			return;
		}
		RedisCommands<byte[], byte[]> redis = this.connection.sync();
		List<byte[]> keys = redis.scan(ScanArgs.Builder.matches(this.prefix + "*").limit(10_000)).getKeys();
		if (!keys.isEmpty()) {
			redis.del(keys.toArray(byte[][]::new));
		}
		this.connection.close();
		this.client.shutdown();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
