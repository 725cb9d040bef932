package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.routing.ExchangeType;

/**
 * One broadcast queue consumed as kombu consumes a mailbox or event queue, on a channel of
 * its own of the main connection: the exchange declared as given, the queue not durable,
 * auto-deleted and not exclusive with the given arguments, the binding, then
 * {@code basic.consume} with {@code no_ack}. The client's dispatch thread of the channel hands
 * the messages to the listener one at a time; whatever the listener throws is logged. When
 * the channel or connection is lost, or RabbitMQ cancels the consumer, the subscription
 * declares, binds and consumes again every second until RabbitMQ is back. Like kombu, it
 * warns when a pidbox queue ({@code <node>.<exchange>} on a fanout exchange) already has a
 * consumer: two nodes of the same name share the mailbox.
 */
final class AmqpBroadcastSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(AmqpBroadcastSubscription.class);

	private static final long RECOVERY_INTERVAL_MILLIS = 1000;

	private final ConnectionFactory connectionFactory;

	private final String url;

	private final BroadcastExchange exchange;

	private final BroadcastQueue queue;

	private final BroadcastListener listener;

	private final ScheduledExecutorService recovery;

	private final Consumer<AmqpBroadcastSubscription> onClose;

	private final Object lock = new Object();

	private @Nullable Channel channel;

	private @Nullable String consumerTag;

	private boolean recovering;

	private @Nullable String recoveryFailure;

	private boolean closed;

	AmqpBroadcastSubscription(ConnectionFactory connectionFactory, String url, BroadcastExchange exchange,
			BroadcastQueue queue, BroadcastListener listener, ScheduledExecutorService recovery,
			Consumer<AmqpBroadcastSubscription> onClose) {
		this.connectionFactory = connectionFactory;
		this.url = url;
		this.exchange = exchange;
		this.queue = queue;
		this.listener = listener;
		this.recovery = recovery;
		this.onClose = onClose;
	}

	/**
	 * Declare, bind and consume.
	 * @throws BrokerException when RabbitMQ cannot be reached or refuses a declaration
	 */
	void start() {
		synchronized (this.lock) {
			try {
				subscribe();
			}
			catch (IOException | AmqpException | ShutdownSignalException ex) {
				throw new BrokerException("Cannot subscribe queue '" + this.queue.name() + "' to exchange '"
						+ this.exchange.name() + "' on RabbitMQ at " + this.url + ": " + AmqpErrors.describe(ex), ex);
			}
		}
	}

	// holding the lock
	private void subscribe() throws IOException {
		Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
		if (channel == null) {
			throw new IOException("no channel available on the connection (channel_max reached)");
		}
		try {
			AmqpBroadcasts.declare(channel, this.exchange);
			AMQP.Queue.DeclareOk declared = channel.queueDeclare(this.queue.name(), false, false, true,
					AmqpTables.toAmqp(this.queue.arguments()));
			warnIfShared(declared.getConsumerCount());
			channel.queueBind(this.queue.name(), this.exchange.name(), this.queue.bindingKey(), Map.of());
			this.consumerTag = channel.basicConsume(this.queue.name(), true, new Receiver(channel));
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
		}
		this.channel = channel;
	}

	private void warnIfShared(int consumers) {
		String suffix = "." + this.exchange.name();
		String name = this.queue.name();
		if (consumers > 0 && this.exchange.type() == ExchangeType.FANOUT && name.endsWith(suffix)) {
			logger.warn("A node named " + name.substring(0, name.length() - suffix.length()) + " is already using "
					+ "this process mailbox (queue '" + name + "' has " + consumers + " consumer(s)): maybe the other "
					+ "node was not shut down properly? The nodes now share the remote-control commands");
		}
	}

	// the channel of a receiver was lost, or its consumer cancelled by RabbitMQ
	private void lost(Channel lost, String reason) {
		synchronized (this.lock) {
			if (this.closed || this.recovering || this.channel != lost) {
				return;
			}
			this.recovering = true;
		}
		logger.warn("Lost the subscription of queue '" + this.queue.name() + "' to exchange '" + this.exchange.name()
				+ "' on RabbitMQ at " + this.url + " (" + reason + "); subscribing again once RabbitMQ is back");
		schedule();
	}

	private void schedule() {
		try {
			this.recovery.schedule(this::recover, RECOVERY_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the broker was destroyed
		}
	}

	private void recover() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			Channel previous = this.channel;
			this.channel = null;
			closeQuietly(previous);
			try {
				subscribe();
				this.recovering = false;
				this.recoveryFailure = null;
			}
			catch (IOException | RuntimeException | Error ex) {
				failedToRecover(AmqpErrors.describe(ex));
				schedule();
				return;
			}
		}
		logger.info("Subscribed queue '" + this.queue.name() + "' to exchange '" + this.exchange.name()
				+ "' again on RabbitMQ at " + this.url);
	}

	// each new reason is logged once: RabbitMQ may refuse the declarations for good
	private void failedToRecover(String reason) {
		String message = "Cannot subscribe queue '" + this.queue.name() + "' to exchange '" + this.exchange.name()
				+ "' again on RabbitMQ at " + this.url + " yet (" + reason + "); trying again every second";
		if (reason.equals(this.recoveryFailure)) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
		this.recoveryFailure = reason;
	}

	private void deliver(String routingKey, @Nullable BasicProperties properties, byte[] body) {
		BroadcastMessage message;
		try {
			message = AmqpBroadcastMessages.read(properties, body);
		}
		catch (RuntimeException | Error ex) {
			logger.warn("Dropped a malformed message from queue '" + this.queue.name() + "' (routing key '" + routingKey
					+ "'): " + ex);
			return;
		}
		try {
			this.listener.onMessage(routingKey, message);
		}
		catch (RuntimeException | Error ex) {
			logger.error("The listener of queue '" + this.queue.name() + "' failed on a message with routing key '"
					+ routingKey + "'", ex);
		}
	}

	/** Cancel the consumer, delete the queue unless another consumer uses it, close the channel. */
	@Override
	public void close() {
		Channel channel;
		String consumerTag;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			channel = this.channel;
			consumerTag = this.consumerTag;
			this.channel = null;
		}
		try {
			if (channel != null && channel.isOpen() && consumerTag != null) {
				channel.basicCancel(consumerTag);
				channel.queueDelete(this.queue.name(), true, false);
			}
		}
		catch (IOException | ShutdownSignalException ex) {
			// another node still consumes the queue, or the channel is gone; auto-delete removes it
			logger.debug("Did not delete queue '" + this.queue.name() + "': " + AmqpErrors.describe(ex));
		}
		finally {
			closeQuietly(channel);
			this.onClose.accept(this);
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

	/** Hands the deliveries of one channel to the listener. */
	private final class Receiver extends DefaultConsumer {

		Receiver(Channel channel) {
			super(channel);
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, BasicProperties properties, byte[] body) {
			deliver(Objects.requireNonNullElse(envelope.getRoutingKey(), ""), properties, body);
		}

		@Override
		public void handleCancel(String consumerTag) {
			lost(getChannel(), "RabbitMQ cancelled the consumer, the queue was deleted");
		}

		@Override
		public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
			lost(getChannel(), AmqpErrors.describe(signal));
		}

	}

}
