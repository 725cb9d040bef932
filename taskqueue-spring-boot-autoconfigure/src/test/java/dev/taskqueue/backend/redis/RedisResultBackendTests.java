package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for reading and forgetting with {@link RedisResultBackend}, and for its errors,
 * against a real Redis holding values Celery 5.2.6 was captured writing.
 */
class RedisResultBackendTests {

	@RegisterExtension
	static final RedisFixture redis = new RedisFixture("taskqueue-results-read", Duration.ofDays(1));

	@Test
	void missingKeyIsPending() {
		ResultMeta meta = redis.backend.get(TestRedis.taskId());
		assertThat(meta.status()).isEqualTo(CeleryStates.PENDING);
		assertThat(meta.result()).isNull();
	}

	@Test
	void readsSuccessWrittenByCelery() {
		String taskId = setFixture("plain/01_success_add");
		ResultMeta meta = redis.backend.get(taskId);
		assertThat(meta.taskId()).isEqualTo(taskId);
		assertThat(meta.status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(meta.result()).isEqualTo(5);
		assertThat(meta.traceback()).isNull();
		assertThat(meta.children()).isEmpty();
		assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-21T17:12:40.954801Z"));
	}

	@Test
	void readsFailureWrittenByCelery() {
		String taskId = setFixture("plain/02_failure_valueerror");
		ResultMeta meta = redis.backend.get(taskId);
		assertThat(meta.status()).isEqualTo(CeleryStates.FAILURE);
		assertThat(meta.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("boom"), "builtins"));
		assertThat(meta.traceback()).startsWith("Traceback (most recent call last):").endsWith("ValueError: boom\n");
		assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-21T17:12:41.683184Z"));
	}

	@Test
	void readsExtendedMetaWrittenByCelery() {
		String taskId = setFixture("extended/01_success_add");
		ResultMeta meta = redis.backend.get(taskId);
		assertThat(meta.result()).isEqualTo(5);
		assertThat(meta.extended()).isEqualTo(new ResultMeta.Extended("labapp.add", List.of(2, 3), Map.of(),
				"cres1@vm", 0, "celery"));
	}

	@Test
	void forgetDeletesTheKey() {
		String taskId = redis.taskId();
		String key = TestRedis.key(taskId);
		redis.backend.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
		assertThat(commands().exists(key)).isEqualTo(1);
		redis.backend.forget(taskId);
		assertThat(commands().exists(key)).isZero();
		assertThat(redis.backend.get(taskId).status()).isEqualTo(CeleryStates.PENDING);
		redis.backend.forget(taskId);
	}

	@Test
	void valueThatIsNotATaskMetaFailsReadingWithABackendException() {
		String taskId = redis.taskId();
		commands().set(TestRedis.key(taskId), "\u0080\u0004pickled");
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> redis.backend.get(taskId))
			.withMessageContaining(TestRedis.key(taskId))
			.withMessageContaining("not a task meta in JSON or msgpack");
	}

	@Test
	void unreachableRedisFailsWithTheMaskedUrl() {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(RedisServer.HOST, 1);
		server.setPassword("s3cret");
		LettuceConnectionFactory down = new LettuceConnectionFactory(server);
		down.afterPropertiesSet();
		down.start();
		String url = "redis://:**@127.0.0.1:1/7";
		RedisResultBackend unreachable = new RedisResultBackend(down, new JsonResultMetaCodec(), Duration.ofDays(1),
				url);
		try {
			assertThatExceptionOfType(ResultBackendException.class)
				.isThrownBy(() -> unreachable.store(ResultMeta.of("t", CeleryStates.SUCCESS, 1)))
				.withMessageContaining(url)
				.withMessageNotContaining("s3cret");
			assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> unreachable.get("t"))
				.withMessageContaining(url)
				.withMessageNotContaining("s3cret");
			assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> unreachable.forget("t"))
				.withMessageContaining(url);
			assertThatExceptionOfType(ResultBackendException.class)
				.isThrownBy(() -> unreachable.subscribe("t", (meta) -> {
				}))
				.withMessageContaining(url)
				.withMessageNotContaining("s3cret");
		}
		finally {
			unreachable.destroy();
			down.destroy();
		}
	}

	@Test
	void waitingNeedsLettuceButStoringAndReadingDoNot() {
		RedisResultBackend notLettuce = RedisFixture.backend(TestRedis.notLettuce(redis.clientFactory),
				Duration.ofDays(1));
		String taskId = redis.taskId();
		notLettuce.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
		assertThat(notLettuce.get(taskId).result()).isEqualTo(1);
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> notLettuce.subscribe(taskId, (meta) -> {
			}))
			.withMessageContaining("LettuceConnectionFactory");
		notLettuce.destroy();
	}

	@Test
	void urlIsTheMaskedUrl() {
		assertThat(redis.backend.url()).isEqualTo(TestRedis.URL);
		assertThat(redis.backend).hasToString("RedisResultBackend[" + TestRedis.URL + "]");
	}

	/** SET the raw value Celery stored, as it stored it, and return its task id. */
	private static String setFixture(String name) {
		Map<String, Object> fixture = TestRedis.fixture("redis-results/" + name + ".json");
		String taskId = (String) fixture.get("task_id");
		commands().set(redis.use(TestRedis.key(taskId)), (String) TestRedis.map(fixture.get("meta")).get("raw"));
		return taskId;
	}

	private static RedisCommands<String, String> commands() {
		return redis.redis();
	}

}
