package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The pub/sub side of {@link RedisResultBackend}: one Lettuce pub/sub connection, opened on
 * the first subscription and kept until {@link #close()}, subscribed to the channels that at
 * least one listener waits on (one {@code SUBSCRIBE} per channel, however many listeners).
 * <p>
 * {@link #subscribe} returns once Redis confirmed the {@code SUBSCRIBE}, so whatever is
 * published afterwards reaches the listener.
 * <p>
 * Reconnects: Lettuce reconnects by itself and subscribes again to every channel Redis had
 * confirmed. Each channel counts its subscribe confirmations; a second one can only come
 * from such a re-subscribe, and as it arrives once the subscription is active again,
 * reading the key then ({@link ChannelDispatcher#resubscribed}) catches whatever was
 * published while the connection was down without leaving a gap.
 * <p>
 * Channel bookkeeping and the commands it sends happen under one lock, so a
 * {@code SUBSCRIBE} and an {@code UNSUBSCRIBE} of the same channel reach Redis in the order
 * of the bookkeeping. Nothing under the lock waits for Redis, except opening the connection.
 */
final class ResultChannels extends RedisPubSubAdapter<byte[], byte[]> {

	private static final Log logger = LogFactory.getLog(ResultChannels.class);

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private final Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connector;

	private final String url;

	private final Object lock = new Object();

	private final Map<String, TaskChannel> channels = new ConcurrentHashMap<>();

	private final ChannelDispatcher dispatcher;

	private @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private boolean closed;

	/**
	 * Create the pub/sub side of a backend.
	 * @param connector opens the pub/sub connection
	 * @param reader reads the values of keys ({@code MGET}) to catch up after a reconnect
	 * @param codec the codec of task metas
	 * @param url the masked backend URL, for messages
	 */
	ResultChannels(Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connector,
			Function<List<String>, List<byte @Nullable []>> reader, ResultMetaCodec codec, String url) {
		this.connector = connector;
		this.url = url;
		this.dispatcher = new ChannelDispatcher(this.channels::get, reader, codec, url);
	}

	ResultSubscription subscribe(String name, ResultListener listener) {
		return subscribe(name, listener, false).subscription();
	}

	/**
	 * Subscribe, read the channel's key and tell the listener the value read, unless it is
	 * missing, before what the channel brings after it. The listener holds what arrives until
	 * then; a {@code PING} on the pub/sub connection, sent after the read, orders the two: when
	 * its answer arrives, every message published before the read did, so the value read is
	 * among the held messages exactly when it was published after the subscription started,
	 * and is told once either way.
	 * @param name the channel name
	 * @param listener the listener
	 * @param reader reads the key, returns {@code null} when it is missing
	 * @return the subscription
	 */
	ResultSubscription follow(String name, ResultListener listener, Supplier<byte @Nullable []> reader) {
		Subscribed subscribed = subscribe(name, listener, true);
		byte[] stored;
		try {
			stored = reader.get();
		}
		catch (RuntimeException ex) {
			subscribed.subscription().close();
			throw ex;
		}
		StatefulRedisPubSubConnection<byte[], byte[]> connection;
		synchronized (this.lock) {
			connection = this.connection;
		}
		CompletableFuture<String> barrier = (connection != null)
				? connection.async().ping().toCompletableFuture().copy() : CompletableFuture.completedFuture("closed");
		// on an answer, runs on Lettuce's thread after the messages received before it were queued;
		// without one in time, the held states are told anyway rather than never
		barrier.orTimeout(subscribed.timeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((pong, ex) -> this.dispatcher.release(subscribed.channel(), subscribed.registration(),
					stored));
		return subscribed.subscription();
	}

	private Subscribed subscribe(String name, ResultListener listener, boolean hold) {
		TaskChannel channel;
		TaskChannel.Registration registration;
		Duration timeout;
		synchronized (this.lock) {
			StatefulRedisPubSubConnection<byte[], byte[]> connection = connection();
			timeout = positiveOr(connection.getTimeout(), DEFAULT_TIMEOUT);
			channel = this.channels.get(name);
			if (channel == null) {
				channel = new TaskChannel(name);
				this.channels.put(name, channel);
				channel.activateWith(connection.async().subscribe(bytes(name)).toCompletableFuture());
			}
			registration = channel.add(listener, hold);
		}
		TaskChannel subscribed = channel;
		ResultSubscription subscription = () -> remove(subscribed, registration);
		try {
			channel.activation().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return new Subscribed(channel, registration, subscription, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			subscription.close();
			throw new ResultBackendException("Interrupted while subscribing to " + name + " on " + this.url, ex);
		}
		catch (ExecutionException | TimeoutException | CancellationException ex) {
			subscription.close();
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new ResultBackendException("Cannot subscribe to " + name + " on " + this.url + ": " + cause, cause);
		}
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> connection() {
		if (this.closed) {
			throw new ResultBackendException("The Redis result backend " + this.url + " is closed");
		}
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connection;
		if (connection == null) {
			try {
				connection = this.connector.get();
			}
			catch (RuntimeException ex) {
				throw new ResultBackendException("Cannot open a pub/sub connection to " + this.url + ": " + ex, ex);
			}
			connection.addListener(this);
			this.connection = connection;
		}
		return connection;
	}

	private void remove(TaskChannel channel, TaskChannel.Registration registration) {
		synchronized (this.lock) {
			if (channel.removeLast(registration) && this.channels.remove(channel.name(), channel)) {
				unsubscribe(channel.name());
			}
		}
	}

	/**
	 * Send an {@code UNSUBSCRIBE} without waiting for it; called under the lock.
	 * @param name the channel name
	 */
	private void unsubscribe(String name) {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connection;
		if (connection != null && !this.closed) {
			connection.async().unsubscribe(bytes(name)).exceptionally((ex) -> {
				logger.debug("Unsubscribing from " + name + " failed", ex);
				return null;
			});
		}
	}

	@Override
	public void message(byte[] channel, byte[] message) {
		this.dispatcher.message(string(channel), message);
	}

	@Override
	public void subscribed(byte[] channel, long count) {
		String name = string(channel);
		this.dispatcher.execute(() -> confirmed(name));
	}

	private void confirmed(String name) {
		TaskChannel channel = this.channels.get(name);
		if (channel == null) {
			// nobody listens any more (for example re-subscribed before a queued UNSUBSCRIBE)
			synchronized (this.lock) {
				if (!this.channels.containsKey(name)) {
					unsubscribe(name);
				}
			}
		}
		else if (channel.confirmedAgain()) {
			this.dispatcher.resubscribed(name);
		}
	}

	/** Close the pub/sub connection and stop dispatching; subscribing fails from now on. */
	void close() {
		StatefulRedisPubSubConnection<byte[], byte[]> connection;
		synchronized (this.lock) {
			this.closed = true;
			connection = this.connection;
			this.connection = null;
			this.channels.clear();
		}
		if (connection != null) {
			connection.close();
		}
		this.dispatcher.shutdown();
	}

	private static Duration positiveOr(@Nullable Duration duration, Duration fallback) {
		return (duration != null && !duration.isNegative() && !duration.isZero()) ? duration : fallback;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private record Subscribed(TaskChannel channel, TaskChannel.Registration registration,
			ResultSubscription subscription, Duration timeout) {
	}

}
