package dev.taskqueue.autoconfigure;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Customizes the Lettuce client of the Redis connections taskqueue builds from
 * {@code taskqueue.broker.url} and {@code taskqueue.backend.url} (not the application's own
 * Redis connection, which Spring Boot's {@code LettuceClientConfigurationBuilderCustomizer}
 * beans customize), after the URL and TLS settings are applied.
 */
@FunctionalInterface
public interface TaskQueueLettuceClientConfigurationBuilderCustomizer {

	/**
	 * Customize the client configuration of one connection.
	 * @param connection which connection is built
	 * @param builder the builder, with the client name, command timeout and TLS already set
	 */
	void customize(TaskQueueConnection connection, LettuceClientConfigurationBuilder builder);

}
