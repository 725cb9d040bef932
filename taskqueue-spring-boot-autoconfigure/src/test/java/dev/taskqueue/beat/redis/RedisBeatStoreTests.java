package dev.taskqueue.beat.redis;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisBeatStore} against the real Redis (database 9, keys named
 * {@code beat-runs-<uuid>}).
 */
class RedisBeatStoreTests {

	private static final int DATABASE = 9;

	private final String key = "beat-runs-" + UUID.randomUUID();

	private final LettuceConnectionFactory factory = RedisServer.connectionFactory(DATABASE, null, null);

	private final StringRedisTemplate redis = new StringRedisTemplate(this.factory);

	@AfterEach
	void cleanUp() {
		this.redis.delete(this.key);
		this.factory.destroy();
	}

	@Test
	void theLastTickOfEachEntryIsKeptInAHashAsCeleryTimeAndReadByANewStore() {
		RedisBeatStore store = new RedisBeatStore(this.factory, this.key);
		assertThat(store.lastRun("every-minute")).isNull();

		store.saveLastRun("every-minute", Instant.parse("2026-12-05T16:00:00Z"));
		store.saveLastRun("every-minute", Instant.parse("2026-12-05T16:01:00.123456Z"));
		store.saveLastRun("nightly", Instant.parse("2026-12-05T00:00:00Z"));

		assertThat(this.redis.<String, String>opsForHash().entries(this.key))
			.isEqualTo(Map.of("every-minute", "2026-12-05T16:01:00.123456+00:00", "nightly",
					"2026-12-05T00:00:00.000000+00:00"));
		RedisBeatStore fresh = new RedisBeatStore(this.factory, this.key);
		assertThat(fresh.lastRun("every-minute")).isEqualTo(Instant.parse("2026-12-05T16:01:00.123456Z"));
		assertThat(fresh.lastRun("nightly")).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
		assertThat(fresh.lastRun("hourly")).isNull();
	}

}
