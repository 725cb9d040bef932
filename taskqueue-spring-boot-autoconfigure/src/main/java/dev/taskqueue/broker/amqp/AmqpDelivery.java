package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.LazyMessage;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.MessageProperties;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A message delivered by RabbitMQ on a consumer channel, settled on that same channel (the
 * client's channels are safe to use from any thread). The body is decoded on first use; a
 * malformed message makes {@link #message()} throw rather than stop the consumer.
 * <p>
 * Once the channel is closed (connection lost, or the broker destroyed) RabbitMQ has
 * already put the message back in its queue, marked redelivered, so settling it then only
 * logs.
 */
final class AmqpDelivery implements Delivery {

	private static final Log logger = LogFactory.getLog(AmqpDelivery.class);

	private final Channel channel;

	private final long deliveryTag;

	private final String queue;

	private final boolean redelivered;

	private final int deliveryCount;

	private final BasicProperties properties;

	private final byte[] body;

	private final Context context;

	private final AtomicBoolean settled = new AtomicBoolean();

	private final AtomicBoolean deferred = new AtomicBoolean();

	private final LazyMessage message;

	private final Source source;

	AmqpDelivery(Channel channel, long deliveryTag, String queue, boolean redelivered, int deliveryCount,
			BasicProperties properties, byte[] body, Context context, Source source) {
		this.channel = channel;
		this.deliveryTag = deliveryTag;
		this.queue = queue;
		this.redelivered = redelivered;
		this.deliveryCount = deliveryCount;
		this.properties = properties;
		this.body = body;
		this.context = context;
		this.source = source;
		this.message = new LazyMessage(() -> this.context.codec().decode(encoded()));
	}

	/**
	 * Valid while the consumer channel it came on is open: when it closes, RabbitMQ requeues the
	 * message and delivers it again on a new channel.
	 */
	@Override
	public boolean valid() {
		return this.channel.isOpen();
	}

	@Override
	public TaskMessage message() {
		return this.message.get();
	}

	private EncodedMessage encoded() {
		Map<String, Object> headers = AmqpTables.fromAmqp(this.properties.getHeaders());
		headers.remove(AmqpRedeliveries.COUNT_HEADER);
		String correlationId = this.properties.getCorrelationId();
		if (correlationId == null) {
			correlationId = (headers.get("id") instanceof String id) ? id : "";
		}
		Integer deliveryMode = this.properties.getDeliveryMode();
		Integer priority = this.properties.getPriority();
		MessageProperties messageProperties = new MessageProperties(correlationId, this.properties.getReplyTo(),
				(deliveryMode != null) ? deliveryMode : MessageProperties.PERSISTENT,
				(priority != null) ? priority : 0, this.properties.getExpiration());
		String contentType = this.properties.getContentType();
		String contentEncoding = this.properties.getContentEncoding();
		return new EncodedMessage(headers, messageProperties, (contentType != null) ? contentType : "",
				(contentEncoding != null) ? contentEncoding : "", this.body);
	}

	@Override
	public String queue() {
		return this.queue;
	}

	/**
	 * Whether RabbitMQ says so, or the message is a copy this broker put back in its queue
	 * ({@link AmqpRedeliveries}), of a message delivered before.
	 */
	@Override
	public boolean redelivered() {
		return this.redelivered || AmqpRedeliveries.isCopy(this.properties);
	}

	/** Counted as {@link AmqpRedeliveries} explains. */
	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	public boolean defer() {
		if (this.settled.get() || !this.deferred.compareAndSet(false, true)) {
			return false;
		}
		if (!this.source.qos().increment(this.channel)) {
			this.deferred.set(false);
			return false;
		}
		return true;
	}

	@Override
	public void resume() {
		if (this.deferred.compareAndSet(true, false)) {
			this.source.qos().decrement(this.channel);
		}
	}

	@Override
	public void ack() {
		settle("acknowledge", (channel) -> channel.basicAck(this.deliveryTag, false));
	}

	/**
	 * Publish a copy with this delivery's count to the back of the queue and acknowledge the
	 * original, so that giving the message back does not count as a delivery
	 * ({@link AmqpRedeliveries#carryOver}); when no copy can be confirmed, reject it back to
	 * the queue instead.
	 */
	@Override
	public void requeue() {
		if (!claim("requeue")) {
			return;
		}
		if (this.channel.isOpen()
				&& this.context.redeliveries().carryOver(this.queue, this.properties, this.body, this.deliveryCount)) {
			apply("acknowledge", (channel) -> channel.basicAck(this.deliveryTag, false));
		}
		else {
			apply("requeue", (channel) -> channel.basicReject(this.deliveryTag, true));
		}
	}

	/**
	 * Publish the message (body, properties and headers, without its expiration) to the
	 * durable queue {@code <queue>.dead-letter} with the reason in the header
	 * {@value AmqpBroker#DEAD_LETTER_REASON_HEADER}, then acknowledge it. When that publish
	 * fails the message stays unacknowledged and the consumption's {@link DeadLetterRetries}
	 * decide: requeue it after a back-off, or keep it and stop consuming the queue.
	 */
	@Override
	public void deadLetter(String reason) {
		if (!claim("dead-letter")) {
			return;
		}
		if (!this.channel.isOpen()) {
			// RabbitMQ has given the message back already: do not dead-letter a copy of it
			apply("dead-letter", (channel) -> {
			});
			return;
		}
		try {
			this.context.deadLetters().publish(this.queue, this.properties, this.body, reason);
		}
		catch (RuntimeException | Error ex) {
			this.source.deadLetterRetries().failed(this, reason, ex);
			return;
		}
		this.source.deadLetterRetries().succeeded(this.queue);
		apply("acknowledge", (channel) -> channel.basicAck(this.deliveryTag, false));
	}

	/** Give the message back to its queue after a failed dead-lettering. */
	void requeueAfterFailedDeadLetter() {
		apply("requeue", (channel) -> channel.basicReject(this.deliveryTag, true));
	}

	private void settle(String action, Settlement settlement) {
		if (claim(action)) {
			apply(action, settlement);
		}
	}

	/**
	 * Take the one settlement of this delivery, out of the prefetch window if deferred.
	 * @param action the settlement, for the log
	 * @return whether this call took the settlement, {@code false} when it was taken before
	 */
	private boolean claim(String action) {
		if (!this.settled.compareAndSet(false, true)) {
			logger.debug("Ignoring a second settlement (" + action + ") of " + this);
			return false;
		}
		resume();
		return true;
	}

	private void apply(String action, Settlement settlement) {
		try {
			if (!this.channel.isOpen()) {
				logger.info("Cannot " + action + " " + this + ": its channel is closed (connection lost?); "
						+ "RabbitMQ delivers the message again");
				return;
			}
			settlement.apply(this.channel);
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.info("Cannot " + action + " " + this + ": " + AmqpErrors.describe(ex)
					+ "; RabbitMQ delivers the message again");
		}
		finally {
			this.context.channels().settled(this.channel);
		}
	}

	@Override
	public String toString() {
		return "AmqpDelivery[queue=" + this.queue + ", tag=" + this.deliveryTag + ", id="
				+ this.properties.getCorrelationId() + "]";
	}

	@FunctionalInterface
	private interface Settlement {

		void apply(Channel channel) throws IOException;

	}

	/**
	 * What deliveries need from the consumption they came from.
	 */
	interface Source {

		/**
		 * Return the prefetch window of the consumer's channels.
		 * @return the prefetch window
		 */
		ChannelQos qos();

		/**
		 * Return what happens when dead-lettering fails.
		 * @return the dead-letter retries
		 */
		DeadLetterRetries deadLetterRetries();

	}

	/**
	 * What deliveries need from their broker.
	 *
	 * @param codec decodes the messages
	 * @param deadLetters where dead letters go
	 * @param channels counts the outstanding deliveries of each channel
	 * @param redeliveries counts deliveries and carries messages over
	 */
	record Context(MessageCodec codec, AmqpDeadLetters deadLetters, ConsumerChannels channels,
			AmqpRedeliveries redeliveries) {
	}

}
