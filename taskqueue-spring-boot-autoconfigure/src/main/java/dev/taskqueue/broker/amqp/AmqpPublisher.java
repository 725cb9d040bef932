package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;

/**
 * Publishes on a few channels of the connection factory's connection, each a
 * {@link ConfirmChannel}. A publishing thread takes a free channel (or waits for one) only
 * for the {@code basic.publish} itself and waits for its confirm without holding it, so
 * threads publishing at the same time share the channels and RabbitMQ confirms their
 * messages in batches. A channel that closed (connection lost, or RabbitMQ closed it for a
 * missing exchange) is replaced on the next publish.
 */
final class AmqpPublisher {

	private final ConnectionFactory connectionFactory;

	private final String url;

	private final boolean confirms;

	private final Duration confirmTimeout;

	private final Slot[] slots;

	private final AtomicInteger next = new AtomicInteger();

	private volatile boolean closed;

	AmqpPublisher(ConnectionFactory connectionFactory, String url, boolean confirms, Duration confirmTimeout,
			int channels) {
		this.connectionFactory = connectionFactory;
		this.url = url;
		this.confirms = confirms;
		this.confirmTimeout = confirmTimeout;
		this.slots = new Slot[channels];
		for (int i = 0; i < channels; i++) {
			this.slots[i] = new Slot();
		}
	}

	/**
	 * Publish a message and, with confirms on, wait until RabbitMQ confirmed it.
	 * @throws BrokerException when the message was not published, refused, returned as
	 * unroutable, or not confirmed in time
	 */
	void publish(String exchange, String routingKey, BasicProperties properties, byte[] body) {
		String failurePrefix = "Cannot publish to exchange '" + exchange + "' with routing key '" + routingKey
				+ "' on RabbitMQ at " + this.url + ": ";
		ConfirmChannel.Pending pending = send(exchange, routingKey, properties, body, failurePrefix);
		if (pending == null) {
			return;
		}
		try {
			String failure = pending.result.get(this.confirmTimeout.toNanos(), TimeUnit.NANOSECONDS);
			if (failure != null) {
				throw new BrokerException(failurePrefix + failure);
			}
		}
		catch (TimeoutException ex) {
			pending.abandon();
			throw new BrokerException(failurePrefix + "no publisher confirm within " + this.confirmTimeout
					+ " (the message may or may not have been taken)");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pending.abandon();
			throw new BrokerException(failurePrefix + "interrupted while waiting for the publisher confirm", ex);
		}
		catch (ExecutionException ex) {
			throw new BrokerException(failurePrefix + ex.getCause(), ex.getCause());
		}
	}

	private ConfirmChannel.@Nullable Pending send(String exchange, String routingKey, BasicProperties properties,
			byte[] body, String failurePrefix) {
		Slot slot = acquire();
		try {
			if (this.closed) {
				throw new BrokerException(failurePrefix + "the broker was destroyed");
			}
			return slot.channel().send(exchange, routingKey, properties, body);
		}
		catch (AmqpException | IOException | ShutdownSignalException ex) {
			slot.discard();
			throw new BrokerException(failurePrefix + AmqpErrors.describe(ex), ex);
		}
		finally {
			slot.lock.unlock();
		}
	}

	/** A free channel if there is one, else wait for the next in turn. */
	private Slot acquire() {
		int start = Math.floorMod(this.next.getAndIncrement(), this.slots.length);
		for (int i = 0; i < this.slots.length; i++) {
			Slot slot = this.slots[(start + i) % this.slots.length];
			if (slot.lock.tryLock()) {
				return slot;
			}
		}
		Slot slot = this.slots[start];
		slot.lock.lock();
		return slot;
	}

	/** Close the channels; publishes still waiting for their confirm fail. */
	void close() {
		this.closed = true;
		for (Slot slot : this.slots) {
			slot.lock.lock();
			try {
				slot.discard();
			}
			finally {
				slot.lock.unlock();
			}
		}
	}

	private final class Slot {

		final ReentrantLock lock = new ReentrantLock();

		private @Nullable ConfirmChannel current;

		private @Nullable Connection connection;

		ConfirmChannel channel() throws IOException {
			ConfirmChannel channel = this.current;
			if (channel != null && channel.isOpen()) {
				return channel;
			}
			discard();
			Connection connection = AmqpPublisher.this.connectionFactory.createConnection();
			this.connection = connection;
			Channel created = connection.getDelegate().createChannel();
			if (created == null) {
				throw new IOException("no channel available on the connection (channel_max reached)");
			}
			channel = new ConfirmChannel(created, AmqpPublisher.this.confirms);
			this.current = channel;
			return channel;
		}

		void discard() {
			ConfirmChannel channel = this.current;
			this.current = null;
			if (channel != null) {
				channel.close();
			}
			Connection connection = this.connection;
			this.connection = null;
			if (connection != null) {
				RabbitUtils.closeConnection(connection);
			}
		}

	}

}
