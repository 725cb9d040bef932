package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisConnectionFactories}.
 */
class RedisConnectionFactoriesTests {

	@Test
	void readsHostPortDatabaseAndPassword() {
		RedisStandaloneConfiguration server = server("redis://:s%40cret@cache.local:6380/3");
		assertThat(server.getHostName()).isEqualTo("cache.local");
		assertThat(server.getPort()).isEqualTo(6380);
		assertThat(server.getDatabase()).isEqualTo(3);
		assertThat(server.getUsername()).isNull();
		assertThat(server.getPassword().get()).containsExactly("s@cret".toCharArray());
	}

	@Test
	void readsUsername() {
		RedisStandaloneConfiguration server = server("redis://app:pw@localhost/1");
		assertThat(server.getUsername()).isEqualTo("app");
		assertThat(server.getPassword().get()).containsExactly("pw".toCharArray());
		assertThat(server.getPort()).isEqualTo(6379);
	}

	@Test
	void defaultsToLocalhostDatabaseZero() {
		RedisStandaloneConfiguration server = server("redis://");
		assertThat(server.getHostName()).isEqualTo("localhost");
		assertThat(server.getDatabase()).isZero();
	}

	@Test
	void redissUsesTls() {
		LettuceConnectionFactory factory = factory("rediss://:pw@secure:6380/0");
		assertThat(factory.getClientConfiguration().isUseSsl()).isTrue();
		assertThat(factory("redis://localhost").getClientConfiguration().isUseSsl()).isFalse();
	}

	@Test
	void rejectsBadDatabase() {
		assertThatIllegalArgumentException().isThrownBy(() -> factory("redis://:secret@localhost:6379/zero"))
			.withMessageContaining("Invalid database number")
			.withMessageNotContaining("secret");
	}

	private static RedisStandaloneConfiguration server(String url) {
		return factory(url).getStandaloneConfiguration();
	}

	private static LettuceConnectionFactory factory(String url) {
		return RedisConnectionFactories.create(
				TaskQueueUrl.parse(url, "taskqueue.broker.url", TaskQueueUrl.BROKER_SCHEMES), "test",
				ConnectionTls.DEFAULT);
	}

}
