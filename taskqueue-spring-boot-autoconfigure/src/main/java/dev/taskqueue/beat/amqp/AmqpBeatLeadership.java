package dev.taskqueue.beat.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.beat.BeatLeadership;

/**
 * Beat leadership on RabbitMQ alone: the leader is the instance whose connection holds the
 * exclusive queue {@code queue} (non-durable, auto-delete, no messages ever).
 * <p>
 * This is a lock the broker guarantees, with no lease or clock to trust: RabbitMQ lets only the
 * connection that declared an exclusive queue use it, and any other connection's declare, even
 * a passive one, fails with {@code RESOURCE_LOCKED} (405); and it deletes the queue as soon as
 * that connection closes, however it closes: a clean {@link #release()}, a process that dies
 * (its operating system closes the socket), or missed heartbeats (a frozen process or a lost
 * network). So at any time at most one connection holds the queue, and once it is gone the
 * next follower to declare it leads. The leader checks at each renewal, with a passive declare
 * (a round trip), that its connection still holds the queue, and gives up leading otherwise;
 * since a RabbitMQ-only deployment sends its ticks to the same broker, a leader cut off from it
 * cannot send ticks meanwhile anyway.
 * <p>
 * The queue is held on a connection of its own, not on Spring's shared one, with heartbeats of
 * at most 10 seconds and no automatic recovery. A failed declare closes a channel and RabbitMQ
 * logs it as a channel error, so a follower declares at most once a second, however often it
 * is asked; it takes over within a second of the leader's connection closing.
 */
public class AmqpBeatLeadership implements BeatLeadership {

	private static final Log logger = LogFactory.getLog(AmqpBeatLeadership.class);

	private static final Duration RETRY = Duration.ofSeconds(1);

	private final com.rabbitmq.client.ConnectionFactory rabbit;

	private final String queue;

	private final String connectionName = BeatConnections.name("leadership");

	private final Object monitor = new Object();

	private @Nullable Connection connection;

	private @Nullable Channel channel;

	private boolean leading;

	private long nextAttempt = System.nanoTime();

	private boolean failing;

	/**
	 * Create the leadership.
	 * @param factory the connection factory of the RabbitMQ holding the queue, built on the
	 * RabbitMQ client (such as a {@code CachingConnectionFactory}); the leadership opens a
	 * connection of its own with the same settings
	 * @param queue the name of the exclusive queue, the same for all the instances
	 */
	public AmqpBeatLeadership(ConnectionFactory factory, String queue) {
		Assert.hasText(queue, "The beat leadership queue must not be empty");
		this.rabbit = BeatConnections.copy(factory);
		this.queue = queue;
	}

	@Override
	public boolean tryLead() {
		synchronized (this.monitor) {
			if (this.leading) {
				this.leading = stillHolds();
				return this.leading;
			}
			long now = System.nanoTime();
			if (now - this.nextAttempt < 0) {
				return false;
			}
			this.nextAttempt = now + RETRY.toNanos();
			this.leading = declare();
			return this.leading;
		}
	}

	@Override
	public void release() {
		synchronized (this.monitor) {
			this.leading = false;
			disconnect();
		}
	}

	@Override
	public String describe() {
		return "rabbitmq exclusive queue " + this.queue;
	}

	/**
	 * Return the name of this instance's connection, as RabbitMQ lists it.
	 * @return the {@code connection_name}
	 */
	String connectionName() {
		return this.connectionName;
	}

	private boolean declare() {
		Channel declaring = null;
		try {
			Connection open = connection();
			declaring = BeatConnections.channel(open);
			declaring.queueDeclare(this.queue, false, true, true, null);
			this.channel = declaring;
			reachable();
			return true;
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			if (BeatConnections.isLocked(ex)) {
				// another instance leads; RabbitMQ closed the channel, the connection stays
				reachable();
				return false;
			}
			unreachable(ex);
			disconnect();
			return false;
		}
	}

	private boolean stillHolds() {
		Connection open = this.connection;
		if (open == null || !open.isOpen()) {
			String reason = (open != null && open.getCloseReason() != null)
					? BeatConnections.describe(open.getCloseReason()) : "the connection closed";
			logger.warn("Lost the beat queue " + this.queue + ": " + reason);
			disconnect();
			return false;
		}
		try {
			Channel checking = this.channel;
			if (checking == null || !checking.isOpen()) {
				checking = BeatConnections.channel(open);
				this.channel = checking;
			}
			checking.queueDeclarePassive(this.queue);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			// closing the connection deletes the queue if it was still ours: no doubt is left
			logger.warn("Lost the beat queue " + this.queue + ": " + BeatConnections.describe(ex));
			disconnect();
			return false;
		}
	}

	private Connection connection() throws IOException, TimeoutException {
		Connection open = this.connection;
		if (open == null || !open.isOpen()) {
			open = BeatConnections.open(this.rabbit, this.connectionName);
			this.connection = open;
		}
		return open;
	}

	/**
	 * Close the connection of this leadership, as the application context closes.
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
	}

	private void reachable() {
		if (this.failing) {
			this.failing = false;
			logger.info("RabbitMQ answers about the beat queue " + this.queue + " again");
		}
	}

	private void unreachable(Exception ex) {
		// a follower asks every second: log an outage once, not at every attempt
		if (!this.failing) {
			this.failing = true;
			logger.warn("Cannot declare the beat queue " + this.queue
					+ " on RabbitMQ; this instance does not lead until it can: " + BeatConnections.describe(ex));
		}
	}

}
