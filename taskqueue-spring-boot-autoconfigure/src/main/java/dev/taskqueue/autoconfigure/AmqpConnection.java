package dev.taskqueue.autoconfigure;

import java.lang.reflect.Field;
import java.util.List;
import java.util.stream.Collectors;

import com.rabbitmq.client.Address;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.ReflectionUtils;

/**
 * The RabbitMQ connection factory the broker (and the {@code rpc://} backend) use: built from
 * {@code taskqueue.broker.url}, or the application's own.
 *
 * @param connectionFactory the connection factory
 * @param url the broker URL without its password, for messages and the actuator
 */
record AmqpConnection(ConnectionFactory connectionFactory, String url) {

	// Spring AMQP keeps the addresses (spring.rabbitmq.addresses) in this field, without a getter
	private static final @Nullable Field ADDRESSES = ReflectionUtils.findField(AbstractConnectionFactory.class,
			"addresses", List.class);

	static {
		if (ADDRESSES != null) {
			ReflectionUtils.makeAccessible(ADDRESSES);
		}
	}

	/**
	 * Describe the application's connection factory as a Celery broker URL with the password
	 * masked, such as {@code amqp://guest:**@localhost:5672//}; a connection factory with
	 * several addresses (a RabbitMQ cluster, {@code spring.rabbitmq.addresses}) as Celery's
	 * failover URL, one URL per node separated by {@code ;}, and one using TLS as
	 * {@code amqps://}.
	 */
	static AmqpConnection of(ConnectionFactory connectionFactory) {
		String virtualHost = connectionFactory.getVirtualHost();
		boolean tls = connectionFactory instanceof AbstractConnectionFactory factory
				&& factory.getRabbitConnectionFactory().isSSL();
		String prefix = (tls ? "amqps://" : "amqp://") + connectionFactory.getUsername() + ":**@";
		String suffix = "/" + ((virtualHost != null) ? virtualHost : "/");
		List<String> nodes = addresses(connectionFactory);
		String url = nodes.stream().map((node) -> prefix + node + suffix).collect(Collectors.joining(";"));
		return new AmqpConnection(connectionFactory, url);
	}

	// host:port of each node the factory connects to: its addresses, or its host and port
	private static List<String> addresses(ConnectionFactory connectionFactory) {
		List<String> single = List.of(connectionFactory.getHost() + ":" + connectionFactory.getPort());
		if (ADDRESSES == null || !(connectionFactory instanceof AbstractConnectionFactory factory)) {
			return single;
		}
		try {
			if (ReflectionUtils.getField(ADDRESSES, factory) instanceof List<?> addresses && !addresses.isEmpty()) {
				return List.copyOf(addresses).stream()
					.map((address) -> (address instanceof Address node) ? node.getHost() + ":" + node.getPort()
							: String.valueOf(address))
					.toList();
			}
		}
		catch (RuntimeException ex) {
			// rotated while read (AddressShuffleMode.INORDER) or another Spring AMQP: host and port
		}
		return single;
	}

}
