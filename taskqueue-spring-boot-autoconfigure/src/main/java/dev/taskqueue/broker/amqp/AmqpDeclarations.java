package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.routing.QueueSpec;

/**
 * Declares queues exactly as kombu's {@code Queue.declare} does, so that RabbitMQ accepts
 * the Java and the Python declarations of the same queue: first the exchange (type,
 * durable, not auto-delete, no arguments; skipped for the default exchange and
 * {@code amq.*}), then the queue (durable as configured, not exclusive, not auto-delete,
 * the queue's arguments, with {@code x-max-priority} as a 32-bit integer, which RabbitMQ
 * compares type and all), then the binding with the routing key. Remembers what it declared
 * until the connection is replaced, as kombu does per connection; on a new connection (after
 * RabbitMQ restarted, say) it declares the consumed queues again before the listener
 * containers look for them.
 */
final class AmqpDeclarations implements ConnectionListener {

	private static final Log logger = LogFactory.getLog(AmqpDeclarations.class);

	/** The suffix of the queue dead letters are moved to. */
	static final String DEAD_LETTER_SUFFIX = ".dead-letter";

	private final ConnectionFactory connectionFactory;

	private final RabbitTemplate template;

	private final String url;

	private final Supplier<Collection<QueueSpec>> consumed;

	private final Set<QueueSpec> declared = ConcurrentHashMap.newKeySet();

	private final Set<String> deadLetterQueues = ConcurrentHashMap.newKeySet();

	private final Set<String> exchanges = ConcurrentHashMap.newKeySet();

	AmqpDeclarations(ConnectionFactory connectionFactory, RabbitTemplate template, String url,
			Supplier<Collection<QueueSpec>> consumed) {
		this.connectionFactory = connectionFactory;
		this.template = template;
		this.url = url;
		this.consumed = consumed;
	}

	/**
	 * Declare a queue unless it was declared on the current connection.
	 * @param queue the queue to declare
	 * @throws BrokerException when RabbitMQ refuses the declaration
	 */
	void ensureDeclared(QueueSpec queue) {
		if (!this.declared.contains(queue)) {
			declare(queue);
			this.declared.add(queue);
		}
	}

	/**
	 * Declare a queue now.
	 * @param queue the queue to declare
	 * @throws BrokerException when RabbitMQ refuses the declaration
	 */
	void declare(QueueSpec queue) {
		execute("declare queue '" + queue.name() + "'", (channel) -> declare(channel, queue));
	}

	/**
	 * Declare a queue to be consumed. When RabbitMQ cannot be reached the listener container
	 * waits for it, and the queue is declared on the new connection.
	 * @param queue the queue to declare
	 * @throws BrokerException when RabbitMQ refuses the declaration
	 */
	void declareConsumed(QueueSpec queue) {
		try {
			declare(queue);
		}
		catch (BrokerException ex) {
			if (!(ex.getCause() instanceof AmqpConnectException)) {
				throw ex;
			}
			logger.warn(ex.getMessage() + "; consuming starts when RabbitMQ is reachable");
		}
	}

	/**
	 * Declare the durable queue {@code <queue>.dead-letter} unless already declared.
	 * @param queue the queue whose dead-letter queue to declare
	 * @return its name
	 */
	String ensureDeadLetterQueue(String queue) {
		String name = queue + DEAD_LETTER_SUFFIX;
		if (!this.deadLetterQueues.contains(name)) {
			execute("declare queue '" + name + "'",
					(channel) -> channel.queueDeclare(name, true, false, false, Map.of()));
			this.deadLetterQueues.add(name);
		}
		return name;
	}

	/**
	 * Check, once per connection, that an exchange the caller publishes to exists (a passive
	 * declaration on a channel of its own). Publishing to a missing exchange makes RabbitMQ
	 * close the channel, which would fail the other messages waiting for their confirms on a
	 * shared publishing channel.
	 * @param exchange the exchange name
	 * @param routingKey the routing key the caller publishes with
	 * @throws BrokerException when it does not exist
	 */
	void ensureExchangeExists(String exchange, String routingKey) {
		if (this.exchanges.contains(exchange)) {
			return;
		}
		Connection connection = null;
		Channel channel = null;
		try {
			connection = this.connectionFactory.createConnection();
			channel = connection.getDelegate().createChannel();
			if (channel == null) {
				throw new IOException("no channel available on the connection (channel_max reached)");
			}
			channel.exchangeDeclarePassive(exchange);
			this.exchanges.add(exchange);
		}
		catch (IOException | AmqpException | ShutdownSignalException ex) {
			throw new BrokerException("Cannot publish to exchange '" + exchange + "' with routing key '" + routingKey
					+ "' on RabbitMQ at " + this.url + ": " + AmqpErrors.describe(ex), ex);
		}
		finally {
			closeQuietly(channel);
			if (connection != null) {
				RabbitUtils.closeConnection(connection);
			}
		}
	}

	private static void closeQuietly(@Nullable Channel channel) {
		try {
			if (channel != null && channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | ShutdownSignalException ex) {
			// closed anyway
		}
	}

	/** A new connection: declare again what is consumed. */
	@Override
	public void onCreate(@Nullable Connection connection) {
		forget();
		Collection<QueueSpec> queues = this.consumed.get();
		if (connection == null || queues.isEmpty()) {
			return;
		}
		Channel channel = null;
		try {
			channel = connection.createChannel(false);
			for (QueueSpec queue : queues) {
				declare(channel, queue);
			}
		}
		catch (IOException | AmqpException ex) {
			logger.warn("Cannot declare the consumed queues again on the new connection to RabbitMQ at " + this.url
					+ ": " + AmqpErrors.describe(ex));
		}
		finally {
			RabbitUtils.closeChannel(channel);
		}
	}

	@Override
	public void onClose(Connection connection) {
		forget();
	}

	@Override
	public void onShutDown(ShutdownSignalException signal) {
		forget();
	}

	/** Forget what was declared: the connection was replaced (RabbitMQ may have restarted). */
	private void forget() {
		this.declared.clear();
		this.deadLetterQueues.clear();
		this.exchanges.clear();
	}

	static void declare(Channel channel, QueueSpec queue) throws IOException {
		String exchange = queue.exchange();
		if (!exchange.isEmpty() && !exchange.startsWith("amq.")) {
			channel.exchangeDeclare(exchange, queue.exchangeType().wireName(), queue.durable(), false, false,
					Map.of());
		}
		channel.queueDeclare(queue.name(), queue.durable(), false, false, arguments(queue));
		if (!exchange.isEmpty()) {
			channel.queueBind(queue.name(), exchange, queue.routingKey(), Map.of());
		}
		if (deadLettersToItsDeadLetterQueue(queue)) {
			// RabbitMQ drops what it dead-letters to a queue that does not exist yet
			channel.queueDeclare(queue.name() + DEAD_LETTER_SUFFIX, true, false, false, Map.of());
		}
	}

	/**
	 * Whether RabbitMQ's own dead-lettering of a queue (its delivery limit, a TTL, a length
	 * limit) goes to the queue's dead-letter queue: {@code x-dead-letter-exchange} is the
	 * default exchange and {@code x-dead-letter-routing-key} is {@code <queue>.dead-letter}.
	 * @param queue the queue
	 * @return whether it does
	 */
	static boolean deadLettersToItsDeadLetterQueue(QueueSpec queue) {
		return "".equals(String.valueOf(queue.arguments().get("x-dead-letter-exchange")))
				&& (queue.name() + DEAD_LETTER_SUFFIX)
					.equals(String.valueOf(queue.arguments().get("x-dead-letter-routing-key")));
	}

	static Map<String, Object> arguments(QueueSpec queue) {
		Integer maxPriority = queue.maxPriority();
		if (maxPriority == null) {
			return queue.arguments();
		}
		Map<String, Object> arguments = new LinkedHashMap<>(queue.arguments());
		arguments.put("x-max-priority", maxPriority);
		return arguments;
	}

	private void execute(String action, ChannelAction work) {
		try {
			this.template.execute((channel) -> {
				work.run(channel);
				return null;
			});
		}
		catch (AmqpException ex) {
			throw new BrokerException(
					"Cannot " + action + " on RabbitMQ at " + this.url + ": " + AmqpErrors.describe(ex), ex);
		}
	}

	@FunctionalInterface
	interface ChannelAction {

		void run(Channel channel) throws IOException;

	}

}
