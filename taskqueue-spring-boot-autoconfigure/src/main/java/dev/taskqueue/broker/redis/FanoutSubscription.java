package dev.taskqueue.broker.redis;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BroadcastTransport.Subscription;

/**
 * A queue bound to a fanout exchange, as kombu's Redis transport consumes one: its binding
 * member in {@code _kombu.binding.<exchange>} (written, not used for delivery) and a
 * {@code PSUBSCRIBE} of the exchange's channel pattern on a pub/sub connection of its own.
 * <p>
 * Lettuce receives on its network thread; messages are handed, in order, to a thread of the
 * subscription that reads and delivers them. At most {@value #MAX_PENDING} wait there; more
 * are dropped, as Redis drops what a slow subscriber cannot take. Lettuce reconnects a lost
 * connection and subscribes again; the binding is written again then, in case Redis lost it.
 */
final class FanoutSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(FanoutSubscription.class);

	/** The most received messages waiting for the listener. */
	static final int MAX_PENDING = 10_000;

	private final RedisConnector connector;

	private final RedisKeys keys;

	private final byte[] binding;

	private final byte[] member;

	private final byte[] pattern;

	private final BroadcastReceiver receiver;

	private final Runnable closed;

	private final ThreadPoolExecutor executor;

	private final AtomicBoolean closing = new AtomicBoolean();

	private final AtomicBoolean lost = new AtomicBoolean();

	private final AtomicBoolean overflowing = new AtomicBoolean();

	private final AtomicInteger confirmations = new AtomicInteger();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;

	/**
	 * Create a subscription; {@link #start()} starts it.
	 * @param connector the broker's connections
	 * @param keys the key names
	 * @param exchange the exchange name
	 * @param queue the queue name
	 * @param bindingKey the binding key ({@code ""} for every message of a fanout exchange)
	 * @param receiver hands what arrives to the listener
	 * @param closed told once the subscription is closed
	 */
	FanoutSubscription(RedisConnector connector, RedisKeys keys, String exchange, String queue, String bindingKey,
			BroadcastReceiver receiver, Runnable closed) {
		this.connector = connector;
		this.keys = keys;
		this.binding = keys.binding(exchange);
		this.member = RedisKeys.bindingMember(bindingKey, "", queue);
		this.pattern = keys.fanout(connector.database(), exchange, bindingKey.replace('#', '*'));
		this.receiver = receiver;
		this.closed = closed;
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_PENDING),
				(task) -> {
					Thread thread = new Thread(task, "taskqueue-redis-broadcast-" + queue);
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Write the binding, then subscribe and wait until Redis confirmed it, so that whatever
	 * is published afterwards arrives.
	 * @throws dev.taskqueue.broker.BrokerException when Redis cannot be reached
	 */
	void start() {
		this.connector.await(this.connector.commands().sadd(this.binding, this.member),
				"bind " + this.receiver.source());
		StatefulRedisPubSubConnection<byte[], byte[]> opened = this.connector.pubSubConnection();
		this.connection = opened;
		try {
			opened.addListener(new Messages());
			opened.addListener(new ConnectionState());
			this.connector.await(opened.async().psubscribe(this.pattern), "subscribe to " + this.receiver.source());
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private void execute(Runnable task) {
		try {
			this.executor.execute(() -> {
				if (this.closing.get()) {
					return;
				}
				try {
					task.run();
				}
				catch (RuntimeException | Error ex) {
					logger.error("Receiving from " + this.receiver.source() + " failed; going on", ex);
				}
			});
			this.overflowing.set(false);
		}
		catch (RejectedExecutionException ex) {
			if (!this.closing.get() && this.overflowing.compareAndSet(false, true)) {
				logger.warn("Dropping messages of " + this.receiver.source() + ": " + MAX_PENDING
						+ " are waiting for a listener that does not keep up");
			}
		}
	}

	private void resubscribed() {
		logger.info("Subscription to " + this.receiver.source() + " resumed on " + this.connector.url());
		try {
			this.connector.await(this.connector.commands().sadd(this.binding, this.member),
					"bind " + this.receiver.source());
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot write the binding of " + this.receiver.source() + " again: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		if (!this.closing.compareAndSet(false, true)) {
			return;
		}
		StatefulRedisPubSubConnection<byte[], byte[]> opened = this.connection;
		this.connection = null;
		if (opened != null) {
			opened.close();
		}
		this.executor.shutdown();
		try {
			this.connector.await(this.connector.commands().srem(this.binding, this.member),
					"unbind " + this.receiver.source());
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot remove the binding of " + this.receiver.source() + ": " + ex.getMessage());
		}
		this.closed.run();
	}

	/** Receives on Lettuce's thread; never blocks it. */
	private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] pattern, byte[] channel, byte[] message) {
			String part = FanoutSubscription.this.keys.fanoutPart(RedisKeys.string(channel));
			int slash = part.indexOf('/');
			String routingKey = (slash >= 0) ? part.substring(slash + 1) : "";
			execute(() -> FanoutSubscription.this.receiver.receive(message, routingKey));
		}

		@Override
		public void psubscribed(byte[] pattern, long count) {
			// a second confirmation comes from Lettuce subscribing again after a reconnect
			if (FanoutSubscription.this.confirmations.incrementAndGet() > 1) {
				FanoutSubscription.this.lost.set(false);
				execute(FanoutSubscription.this::resubscribed);
			}
		}

	}

	/** Reports a lost connection once; Lettuce reconnects by itself. */
	private final class ConnectionState implements RedisConnectionStateListener {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			if (!FanoutSubscription.this.closing.get() && FanoutSubscription.this.lost.compareAndSet(false, true)) {
				logger.warn("Lost the connection of " + FanoutSubscription.this.receiver.source() + " to "
						+ FanoutSubscription.this.connector.url() + "; subscribing again when it is back");
			}
		}

	}

}
