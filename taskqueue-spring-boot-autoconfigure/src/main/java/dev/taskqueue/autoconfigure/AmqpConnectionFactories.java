package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Builds RabbitMQ connection factories from Celery-style AMQP URLs:
 * {@code amqp://user:password@host:port/vhost}, where the path is the virtual host
 * ({@code //} or none means {@code /}), and {@code amqps://} for TLS.
 */
final class AmqpConnectionFactories {

	private AmqpConnectionFactories() {
	}

	static CachingConnectionFactory create(TaskQueueUrl url, String connectionName) {
		TaskQueueUrl.Parts parts = url.parts();
		boolean tls = "amqps".equals(url.scheme());
		CachingConnectionFactory factory = new CachingConnectionFactory(parts.host(),
				(parts.port() != null) ? parts.port() : (tls ? 5671 : 5672));
		factory.setUsername((parts.username() != null) ? parts.username() : "guest");
		factory.setPassword((parts.password() != null) ? parts.password() : "guest");
		factory.setVirtualHost(parts.path().isEmpty() ? "/" : parts.path());
		factory.setConnectionNameStrategy((connectionFactory) -> connectionName);
		if (tls) {
			try {
				factory.getRabbitConnectionFactory().useSslProtocol();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot set up TLS for " + url, ex);
			}
		}
		return factory;
	}

}
