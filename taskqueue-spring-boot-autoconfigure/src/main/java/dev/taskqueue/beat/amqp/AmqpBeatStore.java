package dev.taskqueue.beat.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.protocol.CeleryTime;

/**
 * The last ticks of beat's entries on RabbitMQ alone: each entry has a durable queue
 * {@code <queuePrefix><entry>} that keeps only its last message ({@code x-max-length} 1,
 * {@code x-overflow} {@code drop-head}), whose body is the time the tick was due in ISO 8601 as
 * Celery writes times. A save publishes a persistent message and waits for RabbitMQ's confirm,
 * so a saved tick survives a broker restart.
 * <p>
 * A read takes the message with {@code basic.get} without acknowledging it and rejects it with
 * requeue, which puts it back where it was. This is safer than taking it and publishing it
 * again: the message never leaves the broker, so a read cut short by a failure or by the
 * process dying (RabbitMQ then requeues what was unacknowledged) cannot lose it, and a save
 * meanwhile still wins, since the requeued older message is then the head that the length
 * limit drops. Only the leader reads, once when it starts leading; a second reader at that very
 * moment would see no message and treat the entry as never run.
 * <p>
 * Failures are thrown as Spring AMQP's {@link AmqpException}, naming the queue.
 */
public class AmqpBeatStore implements BeatStore {

	private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

	private static final Map<String, Object> LAST_VALUE = Map.of("x-max-length", 1, "x-overflow", "drop-head");

	private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder()
		.contentType("text/plain")
		.contentEncoding("utf-8")
		.deliveryMode(2)
		.build();

	private final com.rabbitmq.client.ConnectionFactory rabbit;

	private final String queuePrefix;

	private final String connectionName = BeatConnections.name("store");

	private final Set<String> declared = new HashSet<>();

	private final Object monitor = new Object();

	private @Nullable Connection connection;

	private @Nullable Channel channel;

	/**
	 * Create the store.
	 * @param factory the connection factory of the RabbitMQ keeping the ticks, built on the
	 * RabbitMQ client (such as a {@code CachingConnectionFactory}); the store opens a connection
	 * of its own with the same settings
	 * @param queuePrefix the prefix of the queue names, the same for all the instances
	 */
	public AmqpBeatStore(ConnectionFactory factory, String queuePrefix) {
		Assert.hasText(queuePrefix, "The beat store queue prefix must not be empty");
		this.rabbit = BeatConnections.copy(factory);
		this.queuePrefix = queuePrefix;
	}

	@Override
	public @Nullable Instant lastRun(String entry) {
		String queue = this.queuePrefix + entry;
		String body;
		synchronized (this.monitor) {
			try {
				Channel open = channel(queue);
				GetResponse response = open.basicGet(queue, false);
				if (response == null) {
					return null;
				}
				open.basicReject(response.getEnvelope().getDeliveryTag(), true);
				body = new String(response.getBody(), StandardCharsets.UTF_8);
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				throw failed("read the last tick of '" + entry + "' from", queue, ex);
			}
		}
		try {
			return CeleryTime.parse(body);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalStateException("The beat queue " + queue + " holds '" + body
					+ "', not the ISO 8601 time of a tick; purge it to start the entry afresh", ex);
		}
	}

	@Override
	public void saveLastRun(String entry, Instant due) {
		String queue = this.queuePrefix + entry;
		synchronized (this.monitor) {
			try {
				Channel open = channel(queue);
				open.basicPublish("", queue, PERSISTENT, CeleryTime.format(due).getBytes(StandardCharsets.UTF_8));
				open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
			}
			catch (IOException | TimeoutException | InterruptedException | RuntimeException ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				throw failed("save the last tick of '" + entry + "' to", queue, ex);
			}
		}
	}

	private Channel channel(String queue) throws IOException, TimeoutException {
		Connection open = this.connection;
		Channel current = this.channel;
		if (open == null || !open.isOpen() || current == null || !current.isOpen()) {
			disconnect();
			open = BeatConnections.open(this.rabbit, this.connectionName);
			this.connection = open;
			current = BeatConnections.channel(open);
			current.confirmSelect();
			this.channel = current;
		}
		if (!this.declared.contains(queue)) {
			current.queueDeclare(queue, true, false, false, LAST_VALUE);
			this.declared.add(queue);
		}
		return current;
	}

	private AmqpException failed(String action, String queue, Exception ex) {
		disconnect();
		return new AmqpException(
				"Cannot " + action + " the beat queue " + queue + ": " + BeatConnections.describe(ex), ex);
	}

	/**
	 * Close the connection of this store, as the application context closes.
	 */
	public void close() {
		synchronized (this.monitor) {
			disconnect();
		}
	}

	private void disconnect() {
		BeatConnections.closeQuietly(this.connection);
		this.connection = null;
		this.channel = null;
		this.declared.clear();
	}

}
