package dev.taskqueue.backend.rpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.backend.ResultBackendException;

/**
 * The stream of a {@link StreamRevokedTaskStore}: declared with its retention, and appended
 * to on one channel of its own in confirm mode (on the publisher connection when the factory
 * has one, like {@link ReplyPublisher}). The channel is a plain client channel, not one of the
 * factory's cache, so its confirm mode stays with it; it is opened again after it closed.
 */
final class RevokeStream {

	private static final Log logger = LogFactory.getLog(RevokeStream.class);

	/** The longest an append waits for RabbitMQ's confirm. */
	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionFactory connectionFactory;

	private final String name;

	private final Map<String, Object> arguments;

	private final Supplier<String> description;

	private final Object lock = new Object();

	private @Nullable Channel channel;

	private volatile boolean warnedOfRetention;

	RevokeStream(ConnectionFactory connectionFactory, String name, Duration ttl, Supplier<String> description) {
		ConnectionFactory publishing = connectionFactory.getPublisherConnectionFactory();
		this.connectionFactory = (publishing != null) ? publishing : connectionFactory;
		this.name = name;
		this.arguments = Map.of("x-queue-type", "stream", "x-max-age", Math.max(1, ttl.toSeconds()) + "s",
				"x-stream-max-segment-size-bytes", StreamRevokedTaskStore.SEGMENT_SIZE);
		this.description = description;
	}

	String name() {
		return this.name;
	}

	/**
	 * Append a message, persistent, and wait for RabbitMQ to confirm it.
	 * @param body the message body
	 * @param markerId the message id of a follower's marker, or {@code null} for a revoke
	 * @throws ResultBackendException when RabbitMQ cannot be reached or does not confirm
	 */
	void append(byte[] body, @Nullable String markerId) {
		BasicProperties.Builder properties = new BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.deliveryMode(2);
		if (markerId != null) {
			properties.type(StreamRevokedTaskStore.MARKER_TYPE).messageId(markerId);
		}
		synchronized (this.lock) {
			try {
				Channel channel = channel();
				channel.basicPublish("", this.name, false, properties.build(), body);
				channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
			}
			catch (IOException | TimeoutException | ShutdownSignalException | AmqpException ex) {
				closeChannel();
				throw new ResultBackendException("Cannot append to " + this.description.get() + ": " + ex, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				closeChannel();
				throw new ResultBackendException("Interrupted while appending to " + this.description.get(), ex);
			}
		}
	}

	/** Declare the stream, logging instead of throwing; before every start of a consumer. */
	void declareQuietly() {
		try {
			declare();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Cannot declare " + this.description.get() + " (will retry): " + ex);
		}
	}

	private Channel channel() throws IOException {
		Channel current = this.channel;
		if (current == null || !current.isOpen()) {
			declare();
			current = newChannel();
			current.confirmSelect();
			this.channel = current;
		}
		return current;
	}

	/**
	 * Declare the stream with its retention. One declared before with other arguments (another
	 * time to live) is used as it is: entries carry their own expiry.
	 */
	private void declare() throws IOException {
		Channel channel = newChannel();
		try {
			channel.queueDeclare(this.name, true, false, false, this.arguments);
		}
		catch (IOException ex) {
			if (!isPreconditionFailed(ex)) {
				throw ex;
			}
			Channel passive = newChannel();
			try {
				passive.queueDeclarePassive(this.name);
			}
			finally {
				close(passive);
			}
			if (!this.warnedOfRetention) {
				this.warnedOfRetention = true;
				logger.warn(this.description.get() + " exists with other arguments than " + this.arguments
						+ " (another revoked-ttl?); it is used as it is");
			}
		}
		finally {
			close(channel);
		}
	}

	private Channel newChannel() throws IOException {
		Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
		if (channel == null) {
			throw new IOException("no channel available on the connection (channel_max reached)");
		}
		return channel;
	}

	private static boolean isPreconditionFailed(IOException ex) {
		return ex.getCause() instanceof ShutdownSignalException signal
				&& signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 406;
	}

	private void closeChannel() {
		Channel current = this.channel;
		this.channel = null;
		if (current != null) {
			close(current);
		}
	}

	private static void close(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			// closed anyway
		}
	}

	/** Close the publishing channel. */
	void close() {
		synchronized (this.lock) {
			closeChannel();
		}
	}

}
