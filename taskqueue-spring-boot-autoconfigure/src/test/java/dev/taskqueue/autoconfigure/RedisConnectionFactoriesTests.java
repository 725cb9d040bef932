package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> factory("redis://:secret@localhost:6379/zero"))
			.withMessageContaining("the Redis database 'zero' is not a number")
			.withMessageNotContaining("secret")
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("taskqueue.broker.url"));
	}

	@Test
	void customizersSeeTheConnectionAndChangeTheClient() {
		List<TaskQueueConnection> seen = new ArrayList<>();
		LettuceConnectionFactory factory = RedisConnectionFactories.create(TaskQueueUrl.backend("redis://localhost/1"),
				TaskQueueConnection.BACKEND, ConnectionTls.DEFAULT, new TaskQueueProperties.RedisFailover(), List.of((connection, builder) -> {
					seen.add(connection);
					builder.commandTimeout(Duration.ofSeconds(7));
				}));
		assertThat(seen).containsExactly(TaskQueueConnection.BACKEND);
		assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(factory.getClientConfiguration().getClientName()).hasValue("taskqueue-backend");
	}

	private static RedisStandaloneConfiguration server(String url) {
		return factory(url).getStandaloneConfiguration();
	}

	private static LettuceConnectionFactory factory(String url) {
		return RedisConnectionFactories.create(TaskQueueUrl.broker(url), TaskQueueConnection.BROKER,
				ConnectionTls.DEFAULT, new TaskQueueProperties.RedisFailover(), List.of());
	}

}
