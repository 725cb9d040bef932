package dev.taskqueue.beat.amqp;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Beat's own connections to RabbitMQ, apart from Spring's shared cached one: an exclusive queue
 * belongs to the connection that declared it, and a channel in confirm mode must not go back to
 * Spring's channel cache. They use a copy of the RabbitMQ client factory behind Spring's
 * (same host, credentials, virtual host and TLS), without automatic recovery, which would
 * declare the queues again behind beat's back, and with short heartbeats and timeouts, so that
 * a lost connection is noticed within seconds and never blocks beat for long.
 */
final class BeatConnections {

	/** The largest heartbeat, in seconds; RabbitMQ closes a connection after missing a few. */
	private static final int HEARTBEAT_SECONDS = 10;

	private static final int TIMEOUT_MILLIS = 10_000;

	private BeatConnections() {
	}

	/**
	 * Copy the RabbitMQ client factory behind a Spring one, for beat's own connections.
	 * @param factory the Spring connection factory
	 * @return the copy
	 * @throws IllegalArgumentException when the factory is not built on a RabbitMQ client factory
	 */
	static com.rabbitmq.client.ConnectionFactory copy(ConnectionFactory factory) {
		if (!(factory instanceof AbstractConnectionFactory spring)) {
			throw new IllegalArgumentException("Beat on RabbitMQ needs a connection factory built on the RabbitMQ "
					+ "client (such as a CachingConnectionFactory), got " + factory.getClass().getName());
		}
		com.rabbitmq.client.ConnectionFactory copy = spring.getRabbitConnectionFactory().clone();
		copy.setAutomaticRecoveryEnabled(false);
		copy.setTopologyRecoveryEnabled(false);
		int heartbeat = copy.getRequestedHeartbeat();
		copy.setRequestedHeartbeat((heartbeat > 0 && heartbeat < HEARTBEAT_SECONDS) ? heartbeat : HEARTBEAT_SECONDS);
		copy.setChannelRpcTimeout(TIMEOUT_MILLIS);
		int timeout = copy.getConnectionTimeout();
		// 0 means no timeout to the client: a poll and a stop could wait for ever
		copy.setConnectionTimeout((timeout > 0 && timeout < TIMEOUT_MILLIS) ? timeout : TIMEOUT_MILLIS);
		return copy;
	}

	/**
	 * A connection name unique to this object, as the management UI shows it.
	 * @param role what the connection is for
	 * @return the name
	 */
	static String name(String role) {
		return "taskqueue-beat-" + role + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	static Channel channel(Connection connection) throws IOException {
		Channel channel = connection.createChannel();
		if (channel == null) {
			throw new IOException("RabbitMQ has no channel left on the beat connection");
		}
		return channel;
	}

	/**
	 * Whether a failure is RabbitMQ's {@code RESOURCE_LOCKED}: another connection holds the
	 * exclusive queue.
	 * @param failure the failure of a declare
	 * @return whether it says the queue is locked
	 */
	static boolean isLocked(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close
					&& close.getReplyCode() == AMQP.RESOURCE_LOCKED) {
				return true;
			}
		}
		return false;
	}

	/**
	 * RabbitMQ's own words for a failure ({@code RESOURCE_LOCKED - cannot obtain exclusive
	 * access...}), or else its innermost message.
	 * @param failure the failure
	 * @return the description
	 */
	static String describe(Throwable failure) {
		Throwable innermost = failure;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal) {
				if (signal.getReason() instanceof AMQP.Channel.Close close) {
					return close.getReplyText();
				}
				if (signal.getReason() instanceof AMQP.Connection.Close close) {
					return close.getReplyText();
				}
			}
			innermost = cause;
		}
		String message = innermost.getMessage();
		return (message != null && !message.isBlank()) ? message : innermost.getClass().getSimpleName();
	}

	static Connection open(com.rabbitmq.client.ConnectionFactory rabbit, String name)
			throws IOException, TimeoutException {
		return rabbit.newConnection(name);
	}

	static void closeQuietly(@Nullable Connection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.close(TIMEOUT_MILLIS);
		}
		catch (IOException | RuntimeException ex) {
			connection.abort(TIMEOUT_MILLIS);
		}
	}

}
