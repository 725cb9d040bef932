package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds Lettuce connection factories from Celery-style Redis URLs:
 * {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS, which checks
 * the server's certificate and host name unless {@link ConnectionTls#insecureTrustAll()} says
 * otherwise, and {@code sentinel://[[user]:password@]host[:port][/db];sentinel://host[:port]}
 * for a master found through its Sentinels, as kombu and Celery read them: the credentials and
 * database of the first URL are the master's, and Lettuce asks the Sentinels for the master on
 * every (re)connection, so it follows a failover.
 * {@link TaskQueueLettuceClientConfigurationBuilderCustomizer} beans then customize the client.
 */
final class RedisConnectionFactories {

	private static final int DEFAULT_PORT = 6379;

	private static final int DEFAULT_SENTINEL_PORT = 26379;

	private RedisConnectionFactories() {
	}

	/**
	 * Create the connection factory of the broker or the backend, with the TLS its
	 * {@code taskqueue.broker.ssl.*} or {@code taskqueue.backend.ssl.*} properties ask for.
	 * @param url the Redis URL
	 * @param connection which connection this is
	 * @param ssl the TLS properties of that connection
	 * @param sentinel where the Sentinels of a {@code sentinel://} URL find the master
	 * @param sslBundles the application's SSL bundles
	 * @param customizers the customizers of the client
	 * @return the connection factory, not started
	 */
	static LettuceConnectionFactory create(TaskQueueUrl url, TaskQueueConnection connection,
			TaskQueueProperties.Ssl ssl, TaskQueueProperties.RedisFailover sentinel,
			ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<TaskQueueLettuceClientConfigurationBuilderCustomizer> customizers) {
		String prefix = (connection == TaskQueueConnection.BROKER) ? "taskqueue.broker" : "taskqueue.backend";
		return create(url, connection, ConnectionTls.of(url, "rediss", prefix, ssl, sslBundles), sentinel,
				customizers.orderedStream().toList());
	}

	static LettuceConnectionFactory create(TaskQueueUrl url, TaskQueueConnection connection, ConnectionTls tls,
			TaskQueueProperties.RedisFailover sentinel,
			List<TaskQueueLettuceClientConfigurationBuilderCustomizer> customizers) {
		LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.clientName(clientName(connection))
			.commandTimeout(Duration.ofSeconds(30));
		if ("rediss".equals(url.scheme())) {
			useTls(client, tls);
		}
		customizers.forEach((customizer) -> customizer.customize(connection, client));
		if ("sentinel".equals(url.scheme())) {
			return new LettuceConnectionFactory(sentinels(url, connection, sentinel), client.build());
		}
		return new LettuceConnectionFactory(standalone(url), client.build());
	}

	private static RedisStandaloneConfiguration standalone(TaskQueueUrl url) {
		TaskQueueUrl.Parts parts = url.parts();
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(parts.host(),
				(parts.port() != null) ? parts.port() : DEFAULT_PORT);
		server.setDatabase(database(parts.path(), url));
		server.setUsername(parts.username());
		if (parts.password() != null) {
			server.setPassword(parts.password());
		}
		return server;
	}

	private static RedisSentinelConfiguration sentinels(TaskQueueUrl url, TaskQueueConnection connection,
			TaskQueueProperties.RedisFailover sentinel) {
		String masterName = sentinel.getMasterName();
		if (masterName == null || masterName.isBlank()) {
			String prefix = (connection == TaskQueueConnection.BROKER) ? "taskqueue.broker" : "taskqueue.backend";
			throw new InvalidConfigurationPropertyValueException(prefix + ".redis.master-name", masterName,
					"it must be set with the sentinel:// URL " + url.masked()
							+ ": it is the name under which the Sentinels monitor the master (kombu's master_name)");
		}
		RedisSentinelConfiguration server = new RedisSentinelConfiguration();
		server.master(masterName);
		for (TaskQueueUrl alternate : url.alternates()) {
			TaskQueueUrl.Parts parts = alternate.parts();
			server.addSentinel(new RedisNode(parts.host(),
					(parts.port() != null) ? parts.port() : DEFAULT_SENTINEL_PORT));
		}
		TaskQueueUrl.Parts first = url.parts();
		server.setDatabase(database(first.path(), url));
		server.setUsername(first.username());
		if (first.password() != null) {
			server.setPassword(first.password());
		}
		if (sentinel.getSentinelPassword() != null) {
			server.setSentinelPassword(sentinel.getSentinelPassword());
		}
		return server;
	}

	private static String clientName(TaskQueueConnection connection) {
		return (connection == TaskQueueConnection.BROKER) ? "taskqueue-broker" : "taskqueue-backend";
	}

	/**
	 * Describe the application's connection factory as a Redis URL without a password, such as
	 * {@code redis://localhost:6379/0}, for messages and the actuator.
	 * @param connectionFactory the application's connection factory
	 * @return the description of the connection
	 */
	static String describe(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getSentinelConfiguration() != null) {
			RedisSentinelConfiguration sentinels = lettuce.getSentinelConfiguration();
			return String.join(";", sentinels.getSentinels().stream()
				.map((node) -> "sentinel://" + node.getHost() + ":" + node.getPort() + "/" + sentinels.getDatabase())
				.toList());
		}
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return (lettuce.isUseSsl() ? "rediss://" : "redis://") + lettuce.getHostName() + ":" + lettuce.getPort()
					+ "/" + lettuce.getDatabase();
		}
		return "redis:// (the application's " + connectionFactory.getClass().getSimpleName() + ")";
	}

	private static void useTls(LettuceClientConfigurationBuilder client, ConnectionTls tls) {
		if (tls.insecureTrustAll()) {
			client.useSsl().disablePeerVerification();
			return;
		}
		client.useSsl().verifyPeer(SslVerifyMode.FULL);
		SslBundle bundle = tls.bundle();
		if (bundle != null) {
			client.clientOptions(ClientOptions.builder()
				.timeoutOptions(TimeoutOptions.enabled())
				.sslOptions(sslOptions(bundle))
				.build());
		}
	}

	private static SslOptions sslOptions(SslBundle bundle) {
		SslOptions.Builder options = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		if (bundle.getOptions().getCiphers() != null) {
			options.cipherSuites(bundle.getOptions().getCiphers());
		}
		if (bundle.getOptions().getEnabledProtocols() != null) {
			options.protocols(bundle.getOptions().getEnabledProtocols());
		}
		return options.build();
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
