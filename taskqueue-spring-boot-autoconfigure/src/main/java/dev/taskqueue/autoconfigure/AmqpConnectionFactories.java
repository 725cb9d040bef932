package dev.taskqueue.autoconfigure;

import java.security.GeneralSecurityException;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrustEverythingTrustManager;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;

import dev.taskqueue.autoconfigure.TaskQueueProperties.Broker.Amqp.FailoverStrategy;

/**
 * Builds RabbitMQ connection factories from Celery-style AMQP URLs:
 * {@code amqp://user:password@host:port/vhost}, where the path is the virtual host
 * ({@code //} or none means {@code /}), and {@code amqps://} for TLS, which checks the server's
 * certificate and host name unless {@link ConnectionTls#insecureTrustAll()} says otherwise.
 * <p>
 * Several URLs separated by {@code ;} name the nodes of one RabbitMQ cluster, as in Celery
 * ({@code amqp://u:p@node1:5672//;amqp://u:p@node2:5672//}): the factory connects to one of
 * them, and to another when the connection is lost, in the order the
 * {@link FailoverStrategy} says. The nodes of a cluster share their users and virtual hosts,
 * so the first URL gives the credentials and the virtual host of all; a later URL may leave
 * them out, or must repeat them.
 */
final class AmqpConnectionFactories {

	private AmqpConnectionFactories() {
	}

	/**
	 * Build a connection factory for a URL naming one node, tried in the order given.
	 * @param url the URL
	 * @param connectionName the {@code connection_name} of its connections
	 * @param tls the TLS settings, for an {@code amqps://} URL
	 * @return the factory
	 */
	static CachingConnectionFactory create(TaskQueueUrl url, String connectionName, ConnectionTls tls) {
		return create(url, connectionName, tls, FailoverStrategy.ROUND_ROBIN);
	}

	/**
	 * Build a connection factory for a URL naming one node or several.
	 * @param url the URL
	 * @param connectionName the {@code connection_name} of its connections
	 * @param tls the TLS settings, for {@code amqps://} URLs
	 * @param failoverStrategy how the node to connect to is chosen among several
	 * @return the factory
	 * @throws InvalidConfigurationPropertyValueException when the URLs mix {@code amqp://} and
	 * {@code amqps://}, or a later URL names other credentials or another virtual host than
	 * the first
	 */
	static CachingConnectionFactory create(TaskQueueUrl url, String connectionName, ConnectionTls tls,
			FailoverStrategy failoverStrategy) {
		TaskQueueUrl.Parts parts = url.parts();
		boolean useTls = "amqps".equals(url.scheme());
		List<TaskQueueUrl> nodes = url.alternates();
		checkNodes(url, nodes);
		CachingConnectionFactory factory = new CachingConnectionFactory(parts.host(), port(parts, useTls));
		factory.setUsername(username(parts));
		factory.setPassword(password(parts));
		factory.setVirtualHost(virtualHost(parts));
		factory.setConnectionNameStrategy((connectionFactory) -> connectionName);
		if (nodes.size() > 1) {
			factory.setAddresses(nodes.stream().map((node) -> address(node.parts(), useTls)).toList());
			AddressShuffleMode mode = shuffleMode(failoverStrategy);
			factory.setAddressShuffleMode(mode);
			// the publisher connection's factory takes the addresses from this one, not the mode
			if (factory.getPublisherConnectionFactory() instanceof AbstractConnectionFactory publishing) {
				publishing.setAddressShuffleMode(mode);
			}
		}
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

	/**
	 * Spring AMQP's order of the nodes for a Celery failover strategy. Spring AMQP connects
	 * again (the client's own recovery is off) by trying the addresses in its list in turn:
	 * {@code NONE} always starts from the first, so a connection lost to a node that still
	 * fails goes through it again and comes back to the first node as soon as it is up;
	 * {@code INORDER} moves the first address to the end after each connection made, so the
	 * next connection starts from the following node; {@code RANDOM} shuffles the list before
	 * each connection. kombu's {@code round-robin} cycles through its alternates, switching to
	 * the next one on each failed attempt and staying on the one that works, never going back
	 * to the first by preference: {@code INORDER} is the nearer ({@code NONE} would keep
	 * returning to the first node). kombu's {@code shuffle} picks a random alternate on each
	 * switch: {@code RANDOM}.
	 * @param strategy the failover strategy
	 * @return the address shuffle mode
	 */
	static AddressShuffleMode shuffleMode(FailoverStrategy strategy) {
		return switch (strategy) {
			case ROUND_ROBIN -> AddressShuffleMode.INORDER;
			case SHUFFLE -> AddressShuffleMode.RANDOM;
		};
	}

	// the nodes must be of one scheme and name no other credentials and virtual host than the first
	private static void checkNodes(TaskQueueUrl url, List<TaskQueueUrl> nodes) {
		TaskQueueUrl.Parts first = url.parts();
		for (TaskQueueUrl node : nodes) {
			if (!node.scheme().equals(url.scheme())) {
				throw new InvalidConfigurationPropertyValueException(TaskQueueUrl.BROKER_PROPERTY, url.masked(),
						"it mixes amqp:// and amqps:// nodes: the nodes of one RabbitMQ cluster are all reached "
								+ "with TLS (amqps://) or all without (amqp://)");
			}
			TaskQueueUrl.Parts parts = node.parts();
			boolean otherUser = parts.username() != null && !username(parts).equals(username(first));
			boolean otherPassword = parts.password() != null && !password(parts).equals(password(first));
			boolean otherVirtualHost = !parts.path().isEmpty() && !virtualHost(parts).equals(virtualHost(first));
			if (otherUser || otherPassword || otherVirtualHost) {
				throw new InvalidConfigurationPropertyValueException(TaskQueueUrl.BROKER_PROPERTY, url.masked(),
						"the node " + node.masked() + " names another "
								+ (otherVirtualHost ? "virtual host" : otherUser ? "user" : "password")
								+ " than the first URL: the nodes of one RabbitMQ cluster share their users and "
								+ "virtual hosts, so the first URL gives them for all; leave them out of the "
								+ "later URLs or repeat them");
			}
		}
	}

	private static String username(TaskQueueUrl.Parts parts) {
		return (parts.username() != null) ? parts.username() : "guest";
	}

	private static String password(TaskQueueUrl.Parts parts) {
		return (parts.password() != null) ? parts.password() : "guest";
	}

	private static String virtualHost(TaskQueueUrl.Parts parts) {
		return parts.path().isEmpty() ? "/" : parts.path();
	}

	private static int port(TaskQueueUrl.Parts parts, boolean useTls) {
		return (parts.port() != null) ? parts.port() : (useTls ? 5671 : 5672);
	}

	// host:port as the RabbitMQ client parses it, an IPv6 address in brackets
	private static String address(TaskQueueUrl.Parts parts, boolean useTls) {
		String host = parts.host().contains(":") ? "[" + parts.host() + "]" : parts.host();
		return host + ":" + port(parts, useTls);
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
