package dev.taskqueue.beat.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisBeatLeadership} against the real Redis (database 9, keys named
 * {@code beat-leader-<uuid>}), with two contenders on one key and a lease of 3 seconds.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisBeatLeadershipTests {

	private static final int DATABASE = 9;

	private static final Duration LEASE = Duration.ofSeconds(3);

	private final String key = "beat-leader-" + UUID.randomUUID();

	private final LettuceConnectionFactory factory = RedisServer.connectionFactory(DATABASE, null, null);

	private final StringRedisTemplate redis = new StringRedisTemplate(this.factory);

	private final RedisBeatLeadership a = new RedisBeatLeadership(this.factory, this.key, LEASE, "owner-a");

	private final RedisBeatLeadership b = new RedisBeatLeadership(this.factory, this.key, LEASE, "owner-b");

	@AfterEach
	void cleanUp() {
		this.redis.delete(this.key);
		this.factory.destroy();
	}

	@Test
	void exactlyOneOfTwoContendersLeadsAndHoldsTheKeyForTheLease() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();
		assertThat(this.b.tryLead()).isFalse();
		assertThat(this.redis.opsForValue().get(this.key)).isEqualTo("owner-a");
		assertThat(this.redis.getExpire(this.key, TimeUnit.MILLISECONDS)).isBetween(1L, LEASE.toMillis());
		assertThat(this.a.describe()).isEqualTo("redis " + this.key);
	}

	@Test
	void theLeaderRenewsItsLeaseAndKeepsLeading() {
		assertThat(this.a.tryLead()).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.redis.getExpire(this.key, TimeUnit.MILLISECONDS) < LEASE.toMillis() - 1_000);

		assertThat(this.a.tryLead()).isTrue();

		assertThat(this.redis.getExpire(this.key, TimeUnit.MILLISECONDS)).isGreaterThan(LEASE.toMillis() - 1_000);
		assertThat(this.redis.opsForValue().get(this.key)).isEqualTo("owner-a");
		assertThat(this.b.tryLead()).isFalse();
	}

	@Test
	void afterTheLeaderReleasesTheOtherLeadsAtOnce() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		this.a.release();

		assertThat(this.redis.hasKey(this.key)).isFalse();
		assertThat(this.b.tryLead()).isTrue();
		assertThat(this.a.tryLead()).isFalse();
	}

	@Test
	void whenTheLeaderStopsRenewingTheOtherLeadsOnceTheLeaseRanOutAndTheOldLeaderStops() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		await().atMost(LEASE.plusSeconds(3)).pollInterval(Duration.ofMillis(100)).until(this.b::tryLead);

		assertThat(this.redis.opsForValue().get(this.key)).isEqualTo("owner-b");
		assertThat(this.a.tryLead()).isFalse();
		assertThat(this.redis.opsForValue().get(this.key)).isEqualTo("owner-b");
	}

	@Test
	void aLeaderWhoseKeyWasTakenCannotExtendNorDeleteIt() {
		assertThat(this.a.tryLead()).isTrue();
		this.redis.opsForValue().set(this.key, "owner-c", Duration.ofMinutes(1));

		assertThat(this.a.tryLead()).isFalse();
		this.a.release();
		this.b.release();

		assertThat(this.redis.opsForValue().get(this.key)).isEqualTo("owner-c");
		assertThat(this.redis.getExpire(this.key, TimeUnit.MILLISECONDS)).isGreaterThan(LEASE.toMillis());
	}

	@Test
	void whenRedisCannotBeReachedNoOneLeadsAndTheOutageIsLoggedOnce(CapturedOutput output) throws IOException {
		LettuceConnectionFactory unreachable = unreachableFactory();
		try {
			RedisBeatLeadership leadership = new RedisBeatLeadership(unreachable, this.key, LEASE, "owner-a");

			assertThat(leadership.tryLead()).isFalse();
			assertThat(leadership.tryLead()).isFalse();
			assertThat(leadership.tryLead()).isFalse();

			assertThat(output.getAll().split("Cannot reach Redis for the beat lease " + this.key, -1)).hasSize(2);
		}
		finally {
			unreachable.destroy();
		}
	}

	private static LettuceConnectionFactory unreachableFactory() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServer.HOST, port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
