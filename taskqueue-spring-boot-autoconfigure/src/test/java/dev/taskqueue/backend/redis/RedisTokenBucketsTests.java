package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisTokenBuckets} against the real Redis, database {@value #DB}, keys under
 * a prefix of the test's own starting with {@code rate-}: the Lua bucket grants a full bucket,
 * then one token per interval, to all callers together, and forgets itself once full again.
 */
class RedisTokenBucketsTests {

	private static final int DB = 15;

	private final String prefix = "rate-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final LettuceConnectionFactory connectionFactory = RedisServer.connectionFactory(DB, "rate-buckets-tests",
			null);

	private final RedisClient client = RedisClient.create(RedisServer.url(DB));

	private final StatefulRedisConnection<String, String> connection = this.client.connect();

	private final RedisCommands<String, String> redis = this.connection.sync();

	private final RedisTokenBuckets buckets = new RedisTokenBuckets(this.connectionFactory, this.prefix,
			RedisServer.url(DB));

	@AfterEach
	void cleanUp() {
		try {
			List<String> keys = this.redis.keys(this.prefix + "*");
			if (!keys.isEmpty()) {
				this.redis.del(keys.toArray(new String[0]));
			}
		}
		finally {
			this.connection.close();
			this.client.shutdown();
			this.connectionFactory.destroy();
		}
	}

	@Test
	void fullBucketGrantsThenTheNextTokenIsAnIntervalAway() {
		assertThat(this.buckets.take("tasks.a", 10, 1)).isZero();

		Duration wait = this.buckets.take("tasks.a", 10, 1);
		assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
		Map<String, String> bucket = this.redis.hgetall(this.prefix + "tasks.a");
		assertThat(bucket).containsOnlyKeys("tokens", "at");
		assertThat(Double.parseDouble(bucket.get("tokens"))).isBetween(0.0, 1.0);
		// empty, it is full again after 100 ms; then kept for a second more
		assertThat(this.redis.pttl(this.prefix + "tasks.a")).isBetween(1L, 1100L);
	}

	@Test
	void slowRateWaitsUpToItsInterval() {
		assertThat(this.buckets.take("tasks.hourly", 1.0 / 3600, 1)).isZero();

		assertThat(this.buckets.take("tasks.hourly", 1.0 / 3600, 1)).isBetween(Duration.ofMinutes(59),
				Duration.ofHours(1));
	}

	@Test
	void capacityAllowsThatManyAtOnce() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.buckets.take("tasks.burst", 1, 3)).as("take %d", i).isZero();
		}

		assertThat(this.buckets.take("tasks.burst", 1, 3)).isPositive();
	}

	@Test
	void bucketsAreSeparateByName() {
		assertThat(this.buckets.take("tasks.one", 1, 1)).isZero();

		assertThat(this.buckets.take("tasks.other", 1, 1)).isZero();
	}

	@Test
	void concurrentTakersTogetherGetNoMoreThanTheRate() throws Exception {
		double rate = 20;
		ExecutorService takers = Executors.newFixedThreadPool(8);
		try {
			long started = System.nanoTime();
			long deadline = started + TimeUnit.MILLISECONDS.toNanos(2000);
			List<Future<List<Long>>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(takers.submit(() -> takeUntil(deadline, rate)));
			}
			List<Long> grants = new ArrayList<>();
			for (Future<List<Long>> result : results) {
				grants.addAll(result.get(30, TimeUnit.SECONDS));
			}
			long lastGrant = grants.stream().mapToLong(Long::longValue).max().orElseThrow();
			double seconds = (lastGrant - started) / 1e9;
			// one token in the full bucket, then one per interval since the first take
			assertThat(grants.size()).as("grants in %.2f s", seconds).isLessThanOrEqualTo(1 + (int) (rate * seconds));
			assertThat(grants.size()).as("grants in %.2f s", seconds).isGreaterThanOrEqualTo((int) (rate * seconds / 2));
		}
		finally {
			takers.shutdownNow();
		}
	}

	/** Take tokens as a worker does, sleeping for each wait, and return when each was granted. */
	private List<Long> takeUntil(long deadline, double rate) throws InterruptedException {
		List<Long> grants = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			Duration wait = this.buckets.take("tasks.shared", rate, 1);
			if (wait.isZero()) {
				grants.add(System.nanoTime());
			}
			else {
				Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
			}
		}
		return grants;
	}

	@Test
	void unreachableRedisThrowsResultBackendException() {
		LettuceConnectionFactory nowhere = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServer.HOST, 1));
		nowhere.afterPropertiesSet();
		nowhere.start();
		try {
			RedisTokenBuckets unreachable = new RedisTokenBuckets(nowhere, this.prefix, "redis://127.0.0.1:1/0");

			assertThatExceptionOfType(ResultBackendException.class)
				.isThrownBy(() -> unreachable.take("tasks.a", 1, 1))
				.withMessageContaining("Cannot take a token of rate limit bucket 'tasks.a' in redis://127.0.0.1:1/0");
		}
		finally {
			nowhere.destroy();
		}
	}

}
