package dev.taskqueue.broker.amqp;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What RabbitMQ said about blocking the publishing connections. Under a resource alarm
 * (memory or disk) RabbitMQ stops reading from every connection that publishes and says so
 * with {@code connection.blocked}, then {@code connection.unblocked} once the alarm clears:
 * meanwhile a write on the connection stalls as soon as the socket buffers are full, and no
 * confirm comes back. Publishing waits here, never past its deadline, instead of writing
 * into a connection that RabbitMQ does not read. Each block and unblock of a connection is
 * logged once.
 */
final class BlockedConnections {

	private static final Log logger = LogFactory.getLog(BlockedConnections.class);

	private final String url;

	private final Map<Connection, Block> blocks = new IdentityHashMap<>();

	private boolean closed;

	BlockedConnections(String url) {
		this.url = url;
	}

	/**
	 * Return the block of a connection, listened to from the first call on until it closes.
	 * @param connection the connection
	 * @return the block of the connection
	 */
	synchronized Block of(Connection connection) {
		Block block = this.blocks.get(connection);
		if (block == null) {
			block = new Block(connection);
			if (this.closed) {
				return block;
			}
			this.blocks.put(connection, block);
			connection.addBlockedListener(block);
			connection.addShutdownListener(block);
		}
		return block;
	}

	/** Stop listening (the connections are the connection factory's); nobody waits any more. */
	synchronized void close() {
		this.closed = true;
		this.blocks.values().forEach(Block::close);
		this.blocks.clear();
	}

	/**
	 * Return why RabbitMQ blocks one of the connections ("low on memory").
	 * @return the reason, or {@code null} when it blocks none
	 */
	synchronized @Nullable String reason() {
		for (Block block : this.blocks.values()) {
			String reason = block.reason();
			if (reason != null) {
				return reason;
			}
		}
		return null;
	}

	private synchronized void forget(Connection connection) {
		this.blocks.remove(connection);
	}

	/** Whether RabbitMQ blocks one connection, and why. */
	final class Block implements BlockedListener, ShutdownListener {

		private final Connection connection;

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition unblocked = this.lock.newCondition();

		private volatile @Nullable String reason;

		private Block(Connection connection) {
			this.connection = connection;
		}

		/**
		 * Return why RabbitMQ blocks the connection ("low on memory").
		 * @return the reason, or {@code null} when it does not
		 */
		@Nullable String reason() {
			return this.reason;
		}

		/**
		 * Wait until RabbitMQ unblocks the connection, at most until a deadline.
		 * @param deadline the deadline, in {@link System#nanoTime()}
		 * @return whether the connection is unblocked
		 */
		boolean awaitUnblocked(long deadline) throws InterruptedException {
			if (this.reason == null) {
				return true;
			}
			this.lock.lock();
			try {
				while (this.reason != null) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					this.unblocked.awaitNanos(remaining);
				}
				return true;
			}
			finally {
				this.lock.unlock();
			}
		}

		@Override
		public void handleBlocked(@Nullable String reason) {
			String blocked = (reason != null && !reason.isBlank()) ? reason : "no reason given";
			String previous = update(blocked);
			if (!blocked.equals(previous)) {
				logger.warn("RabbitMQ at " + BlockedConnections.this.url + " blocks the publishing connection"
						+ name() + " (" + blocked + "): publishes wait for it to unblock, each no longer than its "
						+ "confirm timeout, then fail");
			}
		}

		@Override
		public void handleUnblocked() {
			String previous = update(null);
			if (previous != null) {
				logger.info("RabbitMQ at " + BlockedConnections.this.url + " unblocked the publishing connection"
						+ name() + " (it was blocked: " + previous + ")");
			}
		}

		/** The connection closed: its block ended with it, the next publish opens another. */
		@Override
		public void shutdownCompleted(ShutdownSignalException cause) {
			forget(this.connection);
			update(null);
		}

		private void close() {
			this.connection.removeBlockedListener(this);
			this.connection.removeShutdownListener(this);
			update(null);
		}

		private @Nullable String update(@Nullable String reason) {
			this.lock.lock();
			try {
				String previous = this.reason;
				this.reason = reason;
				if (reason == null) {
					this.unblocked.signalAll();
				}
				return previous;
			}
			finally {
				this.lock.unlock();
			}
		}

		private String name() {
			String name = this.connection.getClientProvidedName();
			return (name != null) ? " '" + name + "'" : "";
		}

	}

}
