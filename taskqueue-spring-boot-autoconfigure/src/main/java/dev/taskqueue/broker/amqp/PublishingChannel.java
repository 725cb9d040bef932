package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

/**
 * One publishing channel, a {@link ConfirmChannel}, used by one thread at a time. With
 * publisher confirms on, a thread of its own writes the messages handed over with
 * {@link #submit}, and their senders wait for the confirm no longer than their deadline: a
 * write that stalls (RabbitMQ blocked the connection while it was under way, so the socket
 * buffers filled up) holds up this thread alone, until RabbitMQ reads again. Without
 * confirms, the publishing thread takes the channel ({@link #tryLock(long)}) and writes
 * itself ({@link #writeLocked}), sparing the hand-over.
 * <p>
 * While RabbitMQ blocks the connection, a message waits for the unblock before it is written,
 * no longer than its deadline, and is then dropped unwritten. A channel that closed
 * (connection lost, or RabbitMQ closed it for a missing exchange) is replaced with the next
 * message. The writing thread ends after a minute without work and starts again with the
 * next message.
 */
final class PublishingChannel {

	private static final long IDLE_SECONDS = 60;

	private final ConnectionFactory connectionFactory;

	private final BlockedConnections blocks;

	private final boolean confirms;

	private final ReentrantLock lock = new ReentrantLock();

	private final ThreadPoolExecutor writer;

	private final AtomicInteger outstanding = new AtomicInteger();

	private volatile BlockedConnections.@Nullable Block block;

	private volatile boolean closed;

	private @Nullable Connection connection;

	private @Nullable ConfirmChannel channel;

	PublishingChannel(ConnectionFactory connectionFactory, BlockedConnections blocks, boolean confirms,
			String writerName) {
		this.connectionFactory = connectionFactory;
		this.blocks = blocks;
		this.confirms = confirms;
		this.writer = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, writerName);
					thread.setDaemon(true);
					return thread;
				});
		this.writer.allowCoreThreadTimeOut(true);
	}

	/**
	 * Return how many messages handed over are waiting to be written or being written.
	 * @return the number of outstanding messages
	 */
	int outstanding() {
		return this.outstanding.get();
	}

	/**
	 * Return why RabbitMQ blocks the connection of this channel ("low on memory").
	 * @return the reason, or {@code null} when it does not
	 */
	@Nullable String blockedReason() {
		BlockedConnections.Block block = this.block;
		return (block != null) ? block.reason() : null;
	}

	/**
	 * Hand a message over to the writing thread; its {@link Outgoing#result} tells what
	 * became of it.
	 * @param outgoing the message to publish
	 * @throws RejectedExecutionException after {@link #close()}
	 */
	void submit(Outgoing outgoing) {
		this.outstanding.incrementAndGet();
		try {
			this.writer.execute(() -> {
				this.lock.lock();
				try {
					writeLocked(outgoing);
				}
				finally {
					this.lock.unlock();
					this.outstanding.decrementAndGet();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.outstanding.decrementAndGet();
			throw ex;
		}
	}

	boolean tryLock() {
		return this.lock.tryLock();
	}

	/**
	 * Take the channel, waiting for it at most until a deadline.
	 * @param deadline in {@link System#nanoTime()}
	 * @return whether it was taken
	 */
	boolean tryLock(long deadline) throws InterruptedException {
		return this.lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	void unlock() {
		this.lock.unlock();
	}

	/**
	 * Write a message, holding the channel. Its result is left incomplete when the message's
	 * sender gave up, or when RabbitMQ still blocked the connection at its deadline.
	 * @param outgoing the message to publish
	 */
	void writeLocked(Outgoing outgoing) {
		try {
			if (outgoing.isCancelled() || failedClosed(outgoing)) {
				return;
			}
			Connection connection = connection();
			BlockedConnections.Block block = this.block;
			if (block != null && !block.awaitUnblocked(outgoing.deadline)) {
				return;
			}
			ConfirmChannel channel = channel(connection);
			if (failedClosed(outgoing) || !outgoing.take()) {
				return;
			}
			outgoing.written(channel.send(outgoing.exchange, outgoing.routingKey, outgoing.properties, outgoing.body,
					outgoing.result));
		}
		catch (AmqpException | IOException | ShutdownSignalException ex) {
			discard();
			outgoing.result.completeExceptionally(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			outgoing.result.completeExceptionally(ex);
		}
		catch (RuntimeException ex) {
			outgoing.result.completeExceptionally(ex);
		}
		catch (Error ex) {
			outgoing.result.completeExceptionally(ex);
			throw ex;
		}
	}

	private boolean failedClosed(Outgoing outgoing) {
		if (this.closed) {
			outgoing.result.complete("the broker was destroyed");
		}
		return this.closed;
	}

	/**
	 * Return the connection to write on, known to {@link #blocks} before a channel is asked
	 * of it.
	 * @return the connection
	 */
	private Connection connection() {
		Connection connection = this.connection;
		ConfirmChannel channel = this.channel;
		if (connection != null && connection.isOpen() && (channel == null || channel.isOpen())) {
			return connection;
		}
		discard();
		connection = this.connectionFactory.createConnection();
		this.connection = connection;
		this.block = this.blocks.of(connection.getDelegate());
		return connection;
	}

	private ConfirmChannel channel(Connection connection) throws IOException {
		ConfirmChannel channel = this.channel;
		if (channel == null) {
			Channel created = connection.getDelegate().createChannel();
			if (created == null) {
				throw new IOException("no channel available on the connection (channel_max reached)");
			}
			channel = new ConfirmChannel(created, this.confirms);
			this.channel = channel;
		}
		return channel;
	}

	private void discard() {
		ConfirmChannel channel = this.channel;
		this.channel = null;
		if (channel != null) {
			channel.close();
		}
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			RabbitUtils.closeConnection(connection);
		}
	}

	/**
	 * Stop taking messages: those already handed over fail, then the channel closes (its
	 * messages still waiting for their confirm fail). That happens on the writing thread, as
	 * closing a channel of a connection RabbitMQ does not read waits until it reads again.
	 */
	void close() {
		this.closed = true;
		try {
			this.writer.execute(() -> {
				this.lock.lock();
				try {
					discard();
				}
				finally {
					this.lock.unlock();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed before
		}
		this.writer.shutdown();
	}

	/**
	 * Wait for {@link #close()} to be done, at most until a deadline.
	 * @param deadline in {@link System#nanoTime()}
	 */
	void awaitClosed(long deadline) throws InterruptedException {
		this.writer.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

}
