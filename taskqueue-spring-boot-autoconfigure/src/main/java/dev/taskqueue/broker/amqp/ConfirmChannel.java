package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

/**
 * One publishing channel of the Java client, in confirm mode when confirms are on. Each
 * publish is recorded under its sequence number until RabbitMQ acknowledges it
 * ({@code basic.ack}, possibly for several at once), refuses it ({@code basic.nack}) or
 * the channel closes. A message published {@code mandatory} that no queue takes comes back
 * as a {@code basic.return} just before its ack; the return is matched to the oldest
 * pending message with the same exchange, routing key and correlation id (so no
 * correlation header has to be added to Celery's header table, as Spring's
 * {@code RabbitTemplate} would), and that message then fails.
 * <p>
 * {@link #send} must not run concurrently on the same instance (the sequence number and the
 * publish go together); the listeners run on the client's connection thread.
 */
final class ConfirmChannel implements ConfirmListener, ReturnListener, ShutdownListener {

	private final Channel channel;

	private final boolean confirms;

	private final NavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

	private volatile @Nullable String closedReason;

	ConfirmChannel(Channel channel, boolean confirms) throws IOException {
		this.channel = channel;
		this.confirms = confirms;
		channel.addShutdownListener(this);
		if (confirms) {
			channel.addConfirmListener(this);
			channel.addReturnListener(this);
			channel.confirmSelect();
		}
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Publish a message.
	 * @param exchange the exchange name
	 * @param routingKey the routing key
	 * @param properties the properties of the message
	 * @param body the body of the message
	 * @param result completed with {@code null} when RabbitMQ confirms the message, else
	 * with why it did not take it; left alone when confirms are off
	 * @return the pending confirm, or {@code null} when confirms are off
	 * @throws IOException or a {@link ShutdownSignalException} when the channel is closed
	 */
	@Nullable Pending send(String exchange, String routingKey, BasicProperties properties, byte[] body,
			CompletableFuture<@Nullable String> result) throws IOException {
		if (!this.confirms) {
			this.channel.basicPublish(exchange, routingKey, false, properties, body);
			return null;
		}
		long sequence = this.channel.getNextPublishSeqNo();
		Pending pending = new Pending(this, sequence, exchange, routingKey, properties.getCorrelationId(), result);
		this.pending.put(sequence, pending);
		try {
			this.channel.basicPublish(exchange, routingKey, true, properties, body);
		}
		catch (IOException | RuntimeException ex) {
			this.pending.remove(sequence);
			throw ex;
		}
		String closed = this.closedReason;
		if (closed != null && this.pending.remove(sequence) != null) {
			pending.result.complete(closed);
		}
		return pending;
	}

	/** Close the channel; messages still waiting for their confirm fail. */
	void close() {
		try {
			if (this.channel.isOpen()) {
				this.channel.close();
			}
		}
		catch (IOException | RuntimeException | java.util.concurrent.TimeoutException ex) {
			// closed anyway: the shutdown listener fails what is pending
		}
	}

	@Override
	public void handleAck(long deliveryTag, boolean multiple) {
		settle(deliveryTag, multiple, null);
	}

	@Override
	public void handleNack(long deliveryTag, boolean multiple) {
		settle(deliveryTag, multiple, "RabbitMQ refused the message (basic.nack)");
	}

	private void settle(long deliveryTag, boolean multiple, @Nullable String failure) {
		if (multiple) {
			Iterator<Map.Entry<Long, Pending>> confirmed = this.pending.headMap(deliveryTag, true)
				.entrySet()
				.iterator();
			while (confirmed.hasNext()) {
				Pending pending = confirmed.next().getValue();
				confirmed.remove();
				pending.complete(failure);
			}
		}
		else {
			Pending pending = this.pending.remove(deliveryTag);
			if (pending != null) {
				pending.complete(failure);
			}
		}
	}

	@Override
	public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
			BasicProperties properties, byte[] body) {
		for (Pending pending : this.pending.values()) {
			if (pending.returned == null && pending.matches(exchange, routingKey, properties.getCorrelationId())) {
				pending.returned = "RabbitMQ returned the message as unroutable (" + replyCode + " " + replyText
						+ "): no queue is bound to exchange '" + exchange + "' with routing key '" + routingKey + "'";
				return;
			}
		}
	}

	@Override
	public void shutdownCompleted(ShutdownSignalException cause) {
		String reason = "the channel closed before RabbitMQ confirmed the message: " + AmqpErrors.describe(cause);
		this.closedReason = reason;
		Iterator<Pending> unconfirmed = this.pending.values().iterator();
		while (unconfirmed.hasNext()) {
			Pending pending = unconfirmed.next();
			unconfirmed.remove();
			pending.result.complete(reason);
		}
	}

	/**
	 * A message waiting for its confirm. The result is {@code null} when RabbitMQ took it, or
	 * why it did not.
	 */
	static final class Pending {

		final CompletableFuture<@Nullable String> result;

		private final ConfirmChannel owner;

		private final long sequence;

		private final String exchange;

		private final String routingKey;

		private final @Nullable String correlationId;

		volatile @Nullable String returned;

		Pending(ConfirmChannel owner, long sequence, String exchange, String routingKey,
				@Nullable String correlationId, CompletableFuture<@Nullable String> result) {
			this.result = result;
			this.owner = owner;
			this.sequence = sequence;
			this.exchange = exchange;
			this.routingKey = routingKey;
			this.correlationId = correlationId;
		}

		boolean matches(String exchange, String routingKey, @Nullable String correlationId) {
			return this.exchange.equals(exchange) && this.routingKey.equals(routingKey)
					&& Objects.equals(this.correlationId, correlationId);
		}

		void complete(@Nullable String failure) {
			this.result.complete((failure != null) ? failure : this.returned);
		}

		/** Stop waiting (timed out or interrupted). */
		void abandon() {
			this.owner.pending.remove(this.sequence);
		}

	}

}
