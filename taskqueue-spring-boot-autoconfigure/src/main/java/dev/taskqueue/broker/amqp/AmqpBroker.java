package dev.taskqueue.broker.amqp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.rabbitmq.client.Channel;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.QueueSpec;

/**
 * A {@link Broker} on RabbitMQ that speaks kombu's AMQP transport as Celery 5.2 uses it, so
 * Java and Python clients and workers share the same queues.
 * <p>
 * Publishing sends Celery's properties and headers, typed as py-amqp types them
 * ({@link AmqpTables}), to the destination's exchange and routing key, after declaring the
 * destination's queue exactly as kombu does, once per connection ({@link AmqpDeclarations}).
 * With publisher confirms on (the default) {@link #publish} returns once RabbitMQ confirmed
 * the message, and throws when it was refused, returned as unroutable or not confirmed in
 * time ({@link AmqpPublisher}). Consuming declares each queue the same way and runs a Spring
 * AMQP listener container with a channel-wide prefetch and manual acknowledgements
 * ({@link AmqpConsumption}); dead letters go to the durable queue
 * {@code <queue>.dead-letter} ({@link AmqpDeadLetters}).
 * <p>
 * The connection factory stays its owner's and needs no confirm settings: the broker
 * handles confirms and returns itself on a few channels of the factory's publisher
 * connection (its own connection when it has no publisher connection factory), and declares
 * the consumed queues again whenever it opens a new connection. Consuming and declaring use
 * the main connection, which RabbitMQ does not block when a resource alarm blocks publishing.
 * <p>
 * Broadcast traffic (remote control and events, {@link BroadcastTransport}) is declared and
 * consumed as kombu does it, and published without confirms ({@link AmqpBroadcasts}).
 */
public class AmqpBroker implements Broker, BrokerAdmin, BroadcastTransport, DisposableBean {

	/** The header holding why a message was dead-lettered. */
	public static final String DEAD_LETTER_REASON_HEADER = "x-taskqueue-dead-letter-reason";

	/**
	 * The header of a message this broker put back in its queue (redelivered from a classic
	 * queue, or given back by a worker) holding the delivery count of the copy's first
	 * delivery; see {@link dev.taskqueue.broker.Delivery#deliveryCount()}.
	 */
	public static final String DELIVERY_COUNT_HEADER = "x-taskqueue-delivery-count";

	private static final int PUBLISHER_CHANNELS = 4;

	private final ConnectionFactory connectionFactory;

	private final AmqpTransportOptions options;

	private final RabbitAdmin admin;

	private final AmqpDeclarations declarations;

	private final AmqpPublisher publisher;

	private final AmqpDeadLetters deadLetters;

	private final ConsumerChannels channels = new ConsumerChannels();

	private final Set<AmqpConsumption> consumptions = ConcurrentHashMap.newKeySet();

	private final AmqpDelivery.Context deliveryContext;

	private final ScheduledExecutorService timer;

	private final AmqpBroadcasts broadcasts;

	private volatile boolean destroyed;

	/**
	 * Create a broker.
	 * @param connectionFactory the connection factory, owned (and closed) by the caller
	 * @param codec decodes the messages handed to consumers
	 * @param options the masked URL, the configured queues and the publisher confirms
	 */
	public AmqpBroker(ConnectionFactory connectionFactory, MessageCodec codec, AmqpTransportOptions options) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.notNull(options, "'options' must not be null");
		this.connectionFactory = connectionFactory;
		this.options = options;
		this.admin = new RabbitAdmin(connectionFactory);
		this.declarations = new AmqpDeclarations(connectionFactory, this.admin.getRabbitTemplate(), options.url(),
				this::consumedQueues);
		ConnectionFactory publishing = publishing(connectionFactory);
		this.publisher = new AmqpPublisher(publishing, options.url(), options.publisherConfirms(),
				options.confirmTimeout(), options.maxInFlight(), PUBLISHER_CHANNELS);
		this.deadLetters = new AmqpDeadLetters(this.declarations, this.publisher, this.admin, options.url());
		this.deliveryContext = new AmqpDelivery.Context(codec, this.deadLetters, this.channels,
				new AmqpRedeliveries(this.publisher, options.publisherConfirms(),
						(queue) -> options.queue(queue).quorum()));
		connectionFactory.addConnectionListener(this.declarations);
		if (publishing != connectionFactory) {
			// added to it too, but the declarations are made on (and last as long as) the main connection
			publishing.removeConnectionListener(this.declarations);
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-amqp-timer-");
		threads.setDaemon(true);
		this.timer = Executors.newSingleThreadScheduledExecutor(threads);
		this.broadcasts = new AmqpBroadcasts(connectionFactory, publishing, this.admin.getRabbitTemplate(), options);
	}

	/**
	 * The factory of the connection to publish on: the publisher connection factory when
	 * there is one (a {@code CachingConnectionFactory} has one), so that when RabbitMQ blocks
	 * publishing (a resource alarm) consumers still receive and acknowledge messages.
	 * @param connectionFactory the connection factory given to the broker
	 * @return the connection factory to publish with
	 */
	private static ConnectionFactory publishing(ConnectionFactory connectionFactory) {
		ConnectionFactory publishing = connectionFactory.getPublisherConnectionFactory();
		return (publishing != null) ? publishing : connectionFactory;
	}

	@Override
	public void publish(OutboundMessage message) {
		String exchange = prepare(message.destination());
		EncodedMessage encoded = message.message();
		this.publisher.publish(exchange, message.destination().routingKey(), AmqpTables.properties(encoded),
				encoded.body());
	}

	/**
	 * Publish without waiting for the confirm, at most {@code maxInFlight} messages at once
	 * ({@link AmqpTransportOptions}): a publish waits for room beyond that. The future
	 * completes on the client's connection thread.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(OutboundMessage message) {
		String exchange;
		try {
			exchange = prepare(message.destination());
		}
		catch (BrokerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		EncodedMessage encoded = message.message();
		return this.publisher.publishAsync(exchange, message.destination().routingKey(),
				AmqpTables.properties(encoded), encoded.body());
	}

	/**
	 * Declare the destination's queue, or check its exchange exists, once.
	 * @param destination where a message goes
	 * @return the exchange to publish to
	 */
	private String prepare(Destination destination) {
		assertActive();
		QueueSpec queue = destination.queue();
		if (queue != null) {
			this.declarations.ensureDeclared(queue);
		}
		String exchange = destination.exchange();
		if (!exchange.isEmpty() && (queue == null || !exchange.equals(queue.exchange()))) {
			this.declarations.ensureExchangeExists(exchange, destination.routingKey());
		}
		return exchange;
	}

	@Override
	public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
		assertActive();
		List<QueueSpec> queues = settings.queues().stream().map(this.options::queue).toList();
		queues.forEach(this.declarations::declareConsumed);
		boolean quorum = queues.stream().anyMatch(QueueSpec::quorum);
		AmqpConsumption consumption = new AmqpConsumption(this.connectionFactory, settings, !quorum, handler,
				this.channels, this.deliveryContext, this.timer, this.consumptions::remove);
		this.consumptions.add(consumption);
		try {
			consumption.start();
		}
		catch (RuntimeException ex) {
			consumption.close();
			throw new BrokerException("Cannot consume " + settings.queues() + " from RabbitMQ at " + url() + ": "
					+ AmqpErrors.describe(ex), ex);
		}
		return consumption;
	}

	@Override
	public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		assertActive();
		this.broadcasts.publish(exchange, routingKey, message);
	}

	@Override
	public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		assertActive();
		return this.broadcasts.subscribe(exchange, queue, listener);
	}

	private Set<QueueSpec> consumedQueues() {
		Set<QueueSpec> queues = new LinkedHashSet<>();
		this.consumptions.forEach((consumption) -> consumption.queues()
			.forEach((queue) -> queues.add(this.options.queue(queue))));
		return queues;
	}

	/**
	 * Open a connection and a channel, as a health check.
	 * @throws BrokerException (with the masked URL) when RabbitMQ cannot be reached
	 */
	@Override
	public void ping() {
		Connection connection = null;
		Channel channel = null;
		try {
			connection = this.connectionFactory.createConnection();
			channel = connection.createChannel(false);
			if (!channel.isOpen()) {
				throw new BrokerException("RabbitMQ at " + url() + " closed the channel it was asked for");
			}
		}
		catch (AmqpException ex) {
			throw new BrokerException("RabbitMQ at " + url() + " does not answer: " + AmqpErrors.describe(ex), ex);
		}
		finally {
			RabbitUtils.closeChannel(channel);
			if (connection != null) {
				RabbitUtils.closeConnection(connection);
			}
		}
	}

	@Override
	public String url() {
		return this.options.url();
	}

	/** The number of messages ready in a queue (a passive declaration). */
	@Override
	public long size(String queue) {
		try {
			QueueInformation information = this.admin.getQueueInfo(queue);
			return (information != null) ? information.getMessageCount() : 0;
		}
		catch (AmqpException ex) {
			throw new BrokerException("Cannot measure queue '" + queue + "' on RabbitMQ at " + url() + ": "
					+ AmqpErrors.describe(ex), ex);
		}
	}

	/**
	 * The messages of the dead-letter queue {@code <queue>.dead-letter}, oldest first: taken
	 * unacknowledged and given back in their place, so that they stay there (marked
	 * redelivered). The time of a dead letter is not recorded.
	 */
	@Override
	public List<DeadLetter> deadLetters(String queue, int limit) {
		return this.deadLetters.read(queue, limit);
	}

	@Override
	public boolean requeueDeadLetter(String queue, String taskId) {
		return this.deadLetters.requeue(queue, taskId);
	}

	/**
	 * Stop the listener containers and the broadcast subscriptions, and close the publishing
	 * channels. Deliveries still outstanding go back to their queues, as their channels close
	 * now. The connection factory is not closed.
	 */
	@Override
	public void destroy() {
		this.destroyed = true;
		for (AmqpConsumption consumption : List.copyOf(this.consumptions)) {
			consumption.close();
		}
		this.broadcasts.close();
		this.channels.closeAll();
		this.timer.shutdownNow();
		this.publisher.close();
		this.connectionFactory.removeConnectionListener(this.declarations);
	}

	private void assertActive() {
		if (this.destroyed) {
			throw new BrokerException("The RabbitMQ broker at " + url() + " has been destroyed");
		}
	}

}
