package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BrokerException;

/**
 * The {@link BroadcastTransport} of the {@link AmqpBroker}: remote-control requests and
 * replies and events, as kombu's {@code Mailbox} and Celery's event dispatcher and receiver
 * do them on RabbitMQ.
 * <p>
 * Publishing declares the exchange (type and durability as given, never auto-deleted) once
 * per connection, on the main connection, then publishes on a channel of its own of the
 * publishing connection without confirms and not mandatory: a message nobody is bound to
 * receive is dropped, as kombu's replies and events are. Waiting for RabbitMQ to unblock a
 * blocked connection or for a channel is bounded by the confirm timeout. Subscribing consumes
 * a transient queue on a channel of its own of the main connection
 * ({@link AmqpBroadcastSubscription}).
 */
final class AmqpBroadcasts implements BroadcastTransport, ConnectionListener {

	/** One channel, so that what a thread publishes arrives in order, as on kombu's producer. */
	private static final int PUBLISHER_CHANNELS = 1;

	private final ConnectionFactory connectionFactory;

	private final RabbitTemplate template;

	private final String url;

	private final AmqpPublisher publisher;

	private final Set<BroadcastExchange> declared = ConcurrentHashMap.newKeySet();

	private final Set<AmqpBroadcastSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService recovery;

	private volatile boolean closed;

	/**
	 * Create the broadcasts of a broker.
	 * @param connectionFactory the main connection factory, to declare and consume with
	 * @param publishing the factory of the connection to publish on
	 * @param template a template of the main connection factory, to declare exchanges with
	 * @param options the masked URL and the confirm timeout, which bounds a publish
	 */
	AmqpBroadcasts(ConnectionFactory connectionFactory, ConnectionFactory publishing, RabbitTemplate template,
			AmqpTransportOptions options) {
		this.connectionFactory = connectionFactory;
		this.template = template;
		this.url = options.url();
		this.publisher = new AmqpPublisher(publishing, options.url(), false, options.confirmTimeout(),
				options.maxInFlight(), PUBLISHER_CHANNELS);
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-amqp-broadcast-recovery-");
		threads.setDaemon(true);
		this.recovery = Executors.newSingleThreadScheduledExecutor(threads);
		// on a caching connection factory, added to its publisher connection factory as well
		connectionFactory.addConnectionListener(this);
	}

	@Override
	public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		assertOpen();
		if (!this.declared.contains(exchange)) {
			try {
				this.template.execute((channel) -> {
					declare(channel, exchange);
					return null;
				});
			}
			catch (AmqpException ex) {
				throw new BrokerException("Cannot declare exchange '" + exchange.name() + "' on RabbitMQ at " + this.url
						+ ": " + AmqpErrors.describe(ex), ex);
			}
			this.declared.add(exchange);
		}
		this.publisher.publish(exchange.name(), routingKey, AmqpBroadcastMessages.properties(message),
				message.body());
	}

	@Override
	public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		assertOpen();
		AmqpBroadcastSubscription subscription = new AmqpBroadcastSubscription(this.connectionFactory, this.url,
				exchange, queue, listener, this.recovery, this.subscriptions::remove);
		this.subscriptions.add(subscription);
		try {
			subscription.start();
		}
		catch (RuntimeException ex) {
			subscription.close();
			throw ex;
		}
		return subscription;
	}

	/**
	 * Declare an exchange as kombu does: type and durability as given, not auto-deleted, not
	 * internal, no arguments; RabbitMQ's own {@code amq.*} exchanges are not declared.
	 * @param channel the channel to declare on
	 * @param exchange the exchange
	 * @throws IOException when RabbitMQ refuses the declaration (the channel is then closed)
	 */
	static void declare(Channel channel, BroadcastExchange exchange) throws IOException {
		if (exchange.name().startsWith("amq.")) {
			return;
		}
		channel.exchangeDeclare(exchange.name(), exchange.type().wireName(), exchange.durable(), false, false,
				Map.of());
	}

	private void assertOpen() {
		if (this.closed) {
			throw new BrokerException("The RabbitMQ broker at " + this.url + " has been destroyed");
		}
	}

	/** A new connection: RabbitMQ may have restarted and lost the transient exchanges. */
	@Override
	public void onCreate(@Nullable Connection connection) {
		this.declared.clear();
	}

	@Override
	public void onClose(Connection connection) {
		this.declared.clear();
	}

	@Override
	public void onShutDown(ShutdownSignalException signal) {
		this.declared.clear();
	}

	/** End the subscriptions (their queues are deleted) and close the publishing channels. */
	void close() {
		this.closed = true;
		for (AmqpBroadcastSubscription subscription : List.copyOf(this.subscriptions)) {
			subscription.close();
		}
		this.recovery.shutdownNow();
		this.publisher.close();
		this.connectionFactory.removeConnectionListener(this);
	}

}
