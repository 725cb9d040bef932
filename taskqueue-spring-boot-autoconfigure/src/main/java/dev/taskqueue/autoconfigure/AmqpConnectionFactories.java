package dev.taskqueue.autoconfigure;

import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrustEverythingTrustManager;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Builds RabbitMQ connection factories from Celery-style AMQP URLs:
 * {@code amqp://user:password@host:port/vhost}, where the path is the virtual host
 * ({@code //} or none means {@code /}), and {@code amqps://} for TLS, which checks the server's
 * certificate and host name unless {@link ConnectionTls#insecureTrustAll()} says otherwise.
 */
final class AmqpConnectionFactories {

	private AmqpConnectionFactories() {
	}

	static CachingConnectionFactory create(TaskQueueUrl url, String connectionName, ConnectionTls tls) {
		TaskQueueUrl.Parts parts = url.parts();
		boolean useTls = "amqps".equals(url.scheme());
		CachingConnectionFactory factory = new CachingConnectionFactory(parts.host(),
				(parts.port() != null) ? parts.port() : (useTls ? 5671 : 5672));
		factory.setUsername((parts.username() != null) ? parts.username() : "guest");
		factory.setPassword((parts.password() != null) ? parts.password() : "guest");
		factory.setVirtualHost(parts.path().isEmpty() ? "/" : parts.path());
		factory.setConnectionNameStrategy((connectionFactory) -> connectionName);
		if (useTls) {
			try {
				useTls(factory.getRabbitConnectionFactory(), tls);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Cannot set up TLS for " + url, ex);
			}
		}
		return factory;
	}

	private static void useTls(ConnectionFactory rabbit, ConnectionTls tls) throws GeneralSecurityException {
		if (tls.insecureTrustAll()) {
			SSLContext trustingAll = SSLContext.getInstance("TLS");
			trustingAll.init(null, new TrustManager[] { new TrustEverythingTrustManager() }, null);
			rabbit.useSslProtocol(trustingAll);
			return;
		}
		SslBundle bundle = tls.bundle();
		rabbit.useSslProtocol((bundle != null) ? bundle.createSslContext() : SSLContext.getDefault());
		rabbit.enableHostnameVerification();
	}

}
