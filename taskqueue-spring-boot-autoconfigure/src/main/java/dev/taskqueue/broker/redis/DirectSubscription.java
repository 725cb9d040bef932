package dev.taskqueue.broker.redis;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

import dev.taskqueue.broker.BroadcastTransport.Subscription;

/**
 * A queue bound to a direct exchange, as kombu's Redis transport consumes one without
 * acknowledgements: its binding member in {@code _kombu.binding.<exchange>}, through which
 * publishers find its list, and a thread that waits in {@code BRPOP} (1 s, on a connection of
 * its own) on the queue's lists in kombu's priority order. On close the binding is removed
 * and the lists deleted, as kombu deletes a pidbox reply queue. When Redis is unreachable the
 * thread logs once, backs off ({@link Outage}) and, once Redis is back, writes the binding
 * again and carries on. Lettuce may also re-send the {@code BRPOP} on a new connection
 * without telling, so the binding is written again every {@value #REBIND_SECONDS} s in any
 * case: a Redis that restarted without its data has it back by then.
 */
final class DirectSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(DirectSubscription.class);

	private static final int BRPOP_TIMEOUT_SECONDS = 1;

	static final int REBIND_SECONDS = 5;

	private final RedisConnector connector;

	private final byte[] binding;

	private final byte[] member;

	private final List<byte[]> lists;

	private final String routingKey;

	private final BroadcastReceiver receiver;

	private final Runnable closed;

	private final Outage outage;

	private final Thread thread;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final CountDownLatch stop = new CountDownLatch(1);

	private @Nullable RedisConnection blocking;

	private boolean bound;

	private long boundAt;

	/**
	 * Create a subscription; {@link #start()} starts it.
	 * @param connector the broker's connections
	 * @param keys the key names
	 * @param exchange the exchange name
	 * @param queue the queue name
	 * @param routingKey the binding key, the routing key the queue's messages are published with
	 * @param receiver hands what arrives to the listener
	 * @param closed told once the subscription is closed
	 */
	DirectSubscription(RedisConnector connector, RedisKeys keys, String exchange, String queue, String routingKey,
			BroadcastReceiver receiver, Runnable closed) {
		this.connector = connector;
		this.binding = keys.binding(exchange);
		this.member = RedisKeys.bindingMember(routingKey, "", queue);
		this.lists = keys.lists(queue);
		this.routingKey = routingKey;
		this.receiver = receiver;
		this.closed = closed;
		this.outage = new Outage(logger, connector.url() + " (receiving " + receiver.source() + ")");
		this.thread = new Thread(this::run, "taskqueue-redis-broadcast-" + queue);
		this.thread.setDaemon(true);
	}

	/**
	 * Write the binding, so that what is published from now on reaches the queue, and start
	 * the thread.
	 * @throws dev.taskqueue.broker.BrokerException when Redis cannot be reached
	 */
	void start() {
		bind();
		this.thread.start();
	}

	private void bind() {
		this.connector.await(this.connector.commands().sadd(this.binding, this.member),
				"bind " + this.receiver.source());
		this.bound = true;
		this.boundAt = System.nanoTime();
	}

	private void run() {
		try {
			while (this.running.get()) {
				byte[] envelope;
				try {
					envelope = next();
				}
				catch (RuntimeException | Error ex) {
					closeBlocking();
					this.bound = false;
					if (!this.outage.failed(ex, this.stop)) {
						return;
					}
					continue;
				}
				this.outage.succeeded();
				if (envelope != null) {
					this.receiver.receive(envelope, this.routingKey);
				}
			}
		}
		finally {
			closeBlocking();
		}
	}

	private byte @Nullable [] next() {
		if (!this.bound || System.nanoTime() - this.boundAt > TimeUnit.SECONDS.toNanos(REBIND_SECONDS)) {
			bind();
		}
		RedisConnection connection = this.blocking;
		if (connection == null) {
			connection = this.connector.blockingConnection();
			this.blocking = connection;
		}
		List<byte[]> item = connection.listCommands().bRPop(BRPOP_TIMEOUT_SECONDS, this.lists.toArray(new byte[0][]));
		return (item != null && item.size() == 2) ? item.get(1) : null;
	}

	private void closeBlocking() {
		RedisConnection connection = this.blocking;
		this.blocking = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the blocking Redis connection", ex);
			}
		}
	}

	/**
	 * Stop the thread (waiting for its {@code BRPOP} to end unless called on it), then remove
	 * the binding and delete the queue's lists.
	 */
	@Override
	public void close() {
		if (!this.running.compareAndSet(true, false)) {
			return;
		}
		this.stop.countDown();
		if (Thread.currentThread() != this.thread && this.thread.isAlive()) {
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(BRPOP_TIMEOUT_SECONDS + 2));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
			commands.srem(this.binding, this.member);
			this.connector.await(commands.del(this.lists.toArray(new byte[0][])), "delete " + this.receiver.source());
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot remove the binding and lists of " + this.receiver.source() + ": " + ex.getMessage());
		}
		this.closed.run();
	}

}
