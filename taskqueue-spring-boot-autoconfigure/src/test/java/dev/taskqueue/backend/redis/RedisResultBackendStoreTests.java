package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for storing with {@link RedisResultBackend}, against a real Redis and the values
 * and commands Celery 5.2.6 was captured writing.
 */
class RedisResultBackendStoreTests {

	private static final Duration DAY = Duration.ofDays(1);

	@RegisterExtension
	static final RedisFixture redis = new RedisFixture("taskqueue-results-store", DAY);

	@Test
	void storesCeleryKeyValueAndTtlAndPublishesTheSameBytes() throws Exception {
		Map<String, Object> fixture = TestRedis.fixture("redis-results/plain/01_success_add.json");
		String raw = (String) TestRedis.map(fixture.get("meta")).get("raw");
		String taskId = (String) fixture.get("task_id");
		String key = redis.use(TestRedis.key(taskId));
		commands().del(key);
		ResultMeta meta = new ResultMeta(taskId, CeleryStates.SUCCESS, 5, null, List.of(),
				Instant.parse("2026-11-21T17:12:40.954801Z"), null, null, null, null);
		try (StatefulRedisPubSubConnection<String, String> subscriber = redis.client.connectPubSub()) {
			BlockingQueue<String> published = TestRedis.subscribe(subscriber, key);
			redis.backend.store(meta);
			String stored = commands().get(key);
			assertThat(stored).isEqualTo(TestRedis.withOffset(raw));
			Map<String, Object> storedFields = parse(stored);
			Map<String, Object> celeryFields = parse(raw);
			assertThat(storedFields).containsOnlyKeys(celeryFields.keySet());
			celeryFields.forEach((name, value) -> {
				Object expected = "date_done".equals(name) ? value + "+00:00" : value;
				assertThat(storedFields.get(name)).as(name).isEqualTo(expected);
			});
			assertThat(commands().ttl(key)).isBetween(DAY.toSeconds() - 5, DAY.toSeconds());
			assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo(stored);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain/02_failure_valueerror", "plain/03_progress_custom_state",
			"plain/04_retry_autoretry", "extended/02_failure_valueerror", "extended/03_progress_custom_state",
			"extended/04_retry_autoretry" })
	void replaysCeleryWorkerWritesWithTheSameValuesPublishedAndStored(String name) throws Exception {
		List<List<Object>> writes = metaWrites(TestRedis.fixture("redis-results/" + name + ".json"));
		String key = redis.use((String) writes.get(0).get(1));
		commands().del(key);
		JsonResultMetaCodec codec = new JsonResultMetaCodec();
		try (StatefulRedisPubSubConnection<String, String> subscriber = redis.client.connectPubSub()) {
			BlockingQueue<String> published = TestRedis.subscribe(subscriber, key);
			for (List<Object> write : writes) {
				if ("SETEX".equals(write.get(0))) {
					assertThat(write.get(2)).isEqualTo(String.valueOf(DAY.toSeconds()));
					String value = (String) write.get(3);
					redis.backend.store(codec.decode(value.getBytes(StandardCharsets.UTF_8)));
					assertThat(commands().get(key)).isEqualTo(TestRedis.withOffset(value));
					assertThat(commands().ttl(key)).isBetween(DAY.toSeconds() - 5, DAY.toSeconds());
				}
				else {
					assertThat(write.get(0)).isEqualTo("PUBLISH");
					assertThat(write.get(1)).isEqualTo(key);
					String message = published.poll(5, TimeUnit.SECONDS);
					assertThat(message).isEqualTo(TestRedis.withOffset((String) write.get(2)));
				}
			}
		}
	}

	@Test
	void storesWithoutExpiryWhenResultsNeverExpire() {
		RedisResultBackend forever = RedisFixture.backend(redis.clientFactory, Duration.ZERO);
		String taskId = redis.taskId();
		forever.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
		assertThat(commands().ttl(TestRedis.key(taskId))).isEqualTo(-1);
		assertThat(forever.get(taskId).result()).isEqualTo(1);
	}

	@Test
	void storesSubSecondExpiryInMilliseconds() {
		RedisResultBackend shortLived = RedisFixture.backend(redis.clientFactory, Duration.ofMillis(60500));
		String taskId = redis.taskId();
		shortLived.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
		assertThat(commands().pttl(TestRedis.key(taskId))).isBetween(55_000L, 60_500L);
	}

	@Test
	void neverOverwritesSuccessAndPublishesNothingThen() throws Exception {
		String taskId = redis.taskId();
		String key = TestRedis.key(taskId);
		try (StatefulRedisPubSubConnection<String, String> subscriber = redis.client.connectPubSub()) {
			BlockingQueue<String> published = TestRedis.subscribe(subscriber, key);
			redis.backend.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 42));
			redis.worker.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
					ExceptionInfo.python("builtins", "ValueError", "late"), "tb"));
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, Map.of("pid", 1, "hostname", "w@h")));
			commands().publish(key, "end");
			assertThat(published.poll(5, TimeUnit.SECONDS)).contains("\"SUCCESS\"");
			assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo("end");
		}
		ResultMeta stored = redis.backend.get(taskId);
		assertThat(stored.status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(stored.result()).isEqualTo(42);
	}

	@Test
	void customStateThenSuccess() {
		String taskId = redis.taskId();
		redis.backend.store(ResultMeta.of(taskId, CeleryStates.STARTED, Map.of("pid", 1, "hostname", "w@h")));
		redis.backend.store(ResultMeta.of(taskId, "PROGRESS", Map.of("current", 1, "total", 10)));
		ResultMeta progress = redis.backend.get(taskId);
		assertThat(progress.status()).isEqualTo("PROGRESS");
		assertThat(progress.result()).isEqualTo(Map.of("current", 1, "total", 10));
		assertThat(progress.dateDone()).isNull();
		redis.backend.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, "done"));
		assertThat(redis.backend.get(taskId).status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(redis.backend.get(taskId).result()).isEqualTo("done");
	}

	@Test
	void failureAfterFailureIsStored() {
		String taskId = redis.taskId();
		redis.backend.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "first"), null));
		redis.backend.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "KeyError", "second"), null));
		assertThat(redis.backend.get(taskId).exception().type()).isEqualTo("KeyError");
	}

	@Test
	void valueThatIsNotJsonIsOverwritten() {
		String taskId = redis.taskId();
		commands().set(TestRedis.key(taskId), "garbage");
		redis.backend.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 3));
		assertThat(redis.backend.get(taskId).result()).isEqualTo(3);
	}

	private static RedisCommands<String, String> commands() {
		return redis.redis();
	}

	private static Map<String, Object> parse(String json) {
		return TestRedis.map(CeleryJson.newMapper().readValue(json, Object.class));
	}

	/** The SETEX and PUBLISH commands of task metas a fixture's worker sent, in order. */
	@SuppressWarnings("unchecked")
	private static List<List<Object>> metaWrites(Map<String, Object> fixture) {
		List<List<Object>> writes = new ArrayList<>();
		for (Object write : (List<Object>) fixture.get("redis_writes")) {
			List<Object> command = (List<Object>) TestRedis.map(write).get("cmd");
			if (command.get(1) instanceof String key && key.startsWith(RedisResultBackend.KEY_PREFIX)) {
				writes.add(command);
			}
		}
		return writes;
	}

}
