package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.GuardedDeliveryHandler;

/**
 * Consumes the queues of one {@link ConsumerSettings} with a Spring AMQP listener container
 * ({@link AmqpListenerContainers}), like a Celery worker does: one channel, one
 * {@code basic.consume} per queue, {@code basic.qos(prefetch, global=true)} so that the
 * prefetch limit holds across all the queues (per queue when one of them is a quorum queue,
 * for which RabbitMQ refuses a global prefetch), and manual acknowledgements, which the worker
 * sends from its own threads through the {@link AmqpDelivery}s (the Java client serializes
 * the commands of a channel, so that is safe; Spring AMQP's asynchronous listeners ack the
 * same way). The container recovers by itself (every second) when the connection is lost.
 * <p>
 * {@link #close()} stops the container, which cancels the consumers; messages prefetched
 * but not handed out yet go straight back to the queue, and the channel stays
 * open until the deliveries already handed out are settled (see {@link ConsumerChannels}).
 */
final class AmqpConsumption implements Consumption, ChannelAwareMessageListener, AmqpDelivery.Source {

	private static final Log logger = LogFactory.getLog(AmqpConsumption.class);

	private final ConsumerSettings settings;

	private final DeliveryHandler handler;

	private final ConsumerChannels channels;

	private final AmqpDelivery.Context context;

	private final Consumer<AmqpConsumption> onClose;

	private final AbstractMessageListenerContainer container;

	private final AtomicBoolean closing = new AtomicBoolean();

	private final ChannelQos qos;

	private final DeadLetterRetries deadLetterRetries;

	private volatile @Nullable String failure;

	/**
	 * Create a new consumption of the queues of the given settings.
	 * @param connectionFactory the connection factory to consume with
	 * @param settings the queues, prefetch and limits of the consumer
	 * @param globalQos whether the prefetch holds across the queues (as Celery's); RabbitMQ
	 * refuses that for quorum queues, whose prefetch then holds per queue
	 * @param handler the handler of the deliveries
	 * @param channels tracks the deliveries of the consumer's channels
	 * @param context what the deliveries need to settle themselves
	 * @param timer runs delayed requeues after failed dead-lettering
	 * @param onClose called when the consumption is closed
	 */
	AmqpConsumption(ConnectionFactory connectionFactory, ConsumerSettings settings, boolean globalQos,
			DeliveryHandler handler, ConsumerChannels channels, AmqpDelivery.Context context,
			ScheduledExecutorService timer, Consumer<AmqpConsumption> onClose) {
		this.settings = settings;
		this.handler = GuardedDeliveryHandler.of(handler);
		this.qos = new ChannelQos(settings.prefetch(), globalQos);
		this.deadLetterRetries = new DeadLetterRetries(timer, this::stopConsuming);
		this.channels = channels;
		this.context = context;
		this.onClose = onClose;
		this.container = AmqpListenerContainers.create(channels.wrap(connectionFactory), settings.queues());
		this.container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		this.container.setPrefetchCount(settings.prefetch());
		this.container.setGlobalQos(globalQos);
		this.container.setMissingQueuesFatal(false);
		this.container.setMessagePropertiesConverter(new RawPropertiesConverter());
		this.container.setMessageListener(this);
		// Spring AMQP's default for an Error is System.exit; the guard lets none through, but be sure
		this.container.setJavaLangErrorHandler((error) -> logger.error("Consumer of " + settings.queues()
				+ " caught " + error + "; it goes on", error));
		this.container.setBeanName("taskqueue-amqp-" + String.join(",", settings.queues()));
	}

	void start() {
		this.container.afterPropertiesSet();
		this.container.start();
	}

	List<String> queues() {
		return this.settings.queues();
	}

	@Override
	public void onMessage(Message message, Channel channel) {
		RawPropertiesConverter.RawProperties properties = (RawPropertiesConverter.RawProperties) message
			.getMessageProperties();
		Channel target = DeferredCloseConnectionFactory.target(channel);
		long deliveryTag = properties.getDeliveryTag();
		if (this.closing.get()) {
			requeueUnhandled(target, deliveryTag);
			return;
		}
		String queue = (properties.getConsumerQueue() != null) ? properties.getConsumerQueue() : "";
		boolean redelivered = properties.isRedelivered();
		int count = this.context.redeliveries().count(queue, properties.amqp(), redelivered);
		if (this.context.redeliveries().mustCarryOver(queue, redelivered)
				&& carriedOver(target, deliveryTag, queue, properties.amqp(), message.getBody(), count)) {
			return;
		}
		AmqpDelivery delivery = new AmqpDelivery(target, deliveryTag, queue, redelivered, count, properties.amqp(),
				message.getBody(), this.context, this);
		this.channels.delivered(target);
		this.handler.onDelivery(delivery);
	}

	/**
	 * Replace a redelivered message of a classic queue with a copy carrying its delivery count
	 * ({@link AmqpRedeliveries}), which a consumer gets later; the original is acknowledged.
	 * @param channel the channel the original came on
	 * @param deliveryTag the delivery tag of the original
	 * @param queue the queue it came from
	 * @param properties its properties
	 * @param body its body
	 * @param count its delivery count, the count of the copy's first delivery
	 * @return whether the copy was published; if not, the original is handled as it is
	 */
	private boolean carriedOver(Channel channel, long deliveryTag, String queue, BasicProperties properties,
			byte[] body, int count) {
		try {
			if (!this.context.redeliveries().carryOver(queue, properties, body, count)) {
				return false;
			}
		}
		catch (Error ex) {
			logger.error("Could not carry a redelivered message of queue '" + queue + "' over", ex);
			return false;
		}
		try {
			channel.basicAck(deliveryTag, false);
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.warn("Carried a redelivered message of queue '" + queue + "' over, but could not acknowledge the "
					+ "original (" + AmqpErrors.describe(ex) + "); RabbitMQ delivers it again, a duplicate");
		}
		return true;
	}

	@Override
	public ChannelQos qos() {
		return this.qos;
	}

	@Override
	public DeadLetterRetries deadLetterRetries() {
		return this.deadLetterRetries;
	}

	@Override
	public @Nullable String failure() {
		return this.failure;
	}

	/**
	 * Stop consuming one queue, for good: the consumption has failed.
	 * @param queue the queue name
	 * @param reason why consuming stopped
	 */
	private void stopConsuming(String queue, String reason) {
		this.failure = reason;
		try {
			if (this.container.getQueueNames().length > 1) {
				this.container.removeQueueNames(queue);
			}
			else {
				this.container.stop();
			}
		}
		catch (RuntimeException ex) {
			logger.error("Cannot stop consuming queue '" + queue + "'", ex);
		}
	}

	private void requeueUnhandled(Channel channel, long deliveryTag) {
		try {
			channel.basicReject(deliveryTag, true);
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.debug("Cannot requeue a message prefetched before the consumption closed", ex);
		}
	}

	/**
	 * Cancel the consumers and stop the container. Deliveries already handed out stay valid
	 * until they are settled, as long as the connection lives.
	 */
	@Override
	public void close() {
		if (this.closing.compareAndSet(false, true)) {
			try {
				this.container.stop();
				this.container.destroy();
			}
			finally {
				this.onClose.accept(this);
			}
		}
	}

}
