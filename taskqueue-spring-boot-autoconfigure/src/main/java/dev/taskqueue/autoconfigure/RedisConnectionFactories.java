package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds Lettuce connection factories from Celery-style Redis URLs:
 * {@code redis://[[user]:password@]host[:port][/db]} and {@code rediss://} for TLS.
 */
final class RedisConnectionFactories {

	private static final int DEFAULT_PORT = 6379;

	private RedisConnectionFactories() {
	}

	static LettuceConnectionFactory create(TaskQueueUrl url, String clientName) {
		TaskQueueUrl.Parts parts = url.parts();
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(parts.host(),
				(parts.port() != null) ? parts.port() : DEFAULT_PORT);
		server.setDatabase(database(parts.path(), url));
		if (parts.username() != null) {
			server.setUsername(parts.username());
		}
		if (parts.password() != null) {
			server.setPassword(parts.password());
		}
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.clientName(clientName)
			.commandTimeout(Duration.ofSeconds(30));
		if ("rediss".equals(url.scheme())) {
			client.useSsl();
		}
		return new LettuceConnectionFactory(server, client.build());
	}

	private static int database(String path, TaskQueueUrl url) {
		if (path.isEmpty()) {
			return 0;
		}
		try {
			return Integer.parseInt(path);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid database number in Redis URL '" + url + "'");
		}
	}

}
