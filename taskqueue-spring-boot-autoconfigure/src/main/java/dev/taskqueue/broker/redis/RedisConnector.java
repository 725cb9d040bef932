package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.BrokerException;

/**
 * The connections of one broker: the factory's shared, multiplexed Lettuce connection for
 * everything that does not block (publish, scripts, acks), and dedicated connections for
 * {@code BRPOP}. Spring Data Redis runs blocking commands of a {@link RedisConnection} on a
 * dedicated native connection that the {@code RedisConnection} keeps until it is closed.
 * <p>
 * A write refused with {@code READONLY} reached a replica, such as a master being demoted by a
 * failover: callers that write retry it ({@link #refusedByReplica}). The connection is not
 * dropped here, since commands of other threads may be in flight on it: Sentinel disconnects
 * the clients of an instance it demotes, and Lettuce then reconnects through the Sentinels to
 * the current master.
 */
final class RedisConnector {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private final RedisConnectionFactory factory;

	private final String url;

	private final Duration timeout;

	private final Object monitor = new Object();

	private volatile @Nullable RedisConnection shared;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

	RedisConnector(RedisConnectionFactory factory, String url) {
		this.factory = factory;
		this.url = url;
		this.timeout = (factory instanceof LettuceConnectionFactory lettuce && lettuce.getTimeout() > 0)
				? Duration.ofMillis(lettuce.getTimeout()) : DEFAULT_TIMEOUT;
	}

	String url() {
		return this.url;
	}

	/**
	 * Return the command timeout: the factory's, or a minute.
	 * @return the command timeout
	 */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return the asynchronous commands of the shared connection; never use MULTI or blocking
	 * commands.
	 * @return the asynchronous commands
	 */
	@SuppressWarnings("unchecked")
	RedisClusterAsyncCommands<byte[], byte[]> commands() {
		RedisClusterAsyncCommands<byte[], byte[]> current = this.commands;
		if (current != null) {
			return current;
		}
		synchronized (this.monitor) {
			if (this.commands == null) {
				RedisConnection connection = connect("connect");
				Object nativeConnection = connection.getNativeConnection();
				if (!(nativeConnection instanceof RedisClusterAsyncCommands<?, ?>)) {
					connection.close();
					throw new IllegalStateException("The Redis broker needs a Lettuce connection factory, got "
							+ this.factory.getClass().getName());
				}
				this.shared = connection;
				this.commands = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
			}
			return this.commands;
		}
	}

	/**
	 * Return a new connection whose blocking commands run on a connection of its own.
	 * @return the new connection
	 */
	RedisConnection blockingConnection() {
		return connect("open a connection to");
	}

	/**
	 * Return the database number of the connection factory, kombu's virtual host, which names
	 * the fanout channels ({@code /<db>.}).
	 * @return the database number, 0 when the factory does not say
	 */
	int database() {
		return (this.factory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
	}

	/**
	 * Open a pub/sub connection of its own with the factory's Lettuce client, which reconnects
	 * by itself and subscribes again to what it had subscribed.
	 * @return the new connection, to close by the caller
	 * @throws BrokerException when it cannot be opened
	 */
	StatefulRedisPubSubConnection<byte[], byte[]> pubSubConnection() {
		if (!(this.factory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException(
					"The Redis broker needs a Lettuce connection factory, got " + this.factory.getClass().getName());
		}
		try {
			AbstractRedisClient client = lettuce.getRequiredNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				return cluster.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
		}
		catch (RuntimeException ex) {
			throw new BrokerException(
					"Cannot open a pub/sub connection to Redis broker " + this.url + ": " + ex.getMessage(), ex);
		}
	}

	private RedisConnection connect(String action) {
		try {
			return this.factory.getConnection();
		}
		catch (RuntimeException ex) {
			throw new BrokerException("Cannot " + action + " Redis broker " + this.url + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Wait for a command with the connection's command timeout.
	 * @param <T> the type of the command's result
	 * @param future the command
	 * @param action what the command does, for the message of a failure
	 * @return the result of the command
	 */
	<T> T await(CompletionStage<T> future, String action) {
		return await(future, action, this.timeout);
	}

	/**
	 * Wait for a command.
	 * @param <T> the type of the command's result
	 * @param future the command
	 * @param action what the command does, for the message of a failure
	 * @param timeout the longest time to wait
	 * @return the result of the command
	 * @throws BrokerException when it failed or timed out, naming the (masked) URL
	 */
	<T> T await(CompletionStage<T> future, String action, Duration timeout) {
		CompletableFuture<T> completable = future.toCompletableFuture();
		try {
			return completable.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new BrokerException(
					"Redis broker " + this.url + " failed to " + action + ": " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			// not sent yet (Redis away): never send it, nobody would read the reply
			completable.cancel(true);
			throw new BrokerException(
					"Redis broker " + this.url + " did not answer within " + timeout + " to " + action, ex);
		}
		catch (InterruptedException ex) {
			completable.cancel(true);
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while waiting for Redis broker " + this.url + " to " + action, ex);
		}
	}

	/**
	 * Whether a failure is Redis refusing a write because it is a replica.
	 * @param ex the failure, or what wraps it
	 * @return whether a {@code READONLY} error is in its causes
	 */
	static boolean refusedByReplica(@Nullable Throwable ex) {
		return causedBy(ex, (cause) -> cause instanceof RedisReadOnlyException
				|| (cause.getMessage() != null && cause.getMessage().startsWith("READONLY")));
	}

	/**
	 * Whether a failure or one of its causes matches, such as Redis's error reply in what
	 * Lettuce and Spring Data Redis wrap it in.
	 * @param ex the failure, or what wraps it
	 * @param test what to look for
	 * @return whether a cause matches
	 */
	static boolean causedBy(@Nullable Throwable ex, Predicate<Throwable> test) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (test.test(cause)) {
				return true;
			}
		}
		return false;
	}

	/** Release the shared connection handle (the factory owns and closes the native one). */
	void close() {
		synchronized (this.monitor) {
			RedisConnection connection = this.shared;
			this.shared = null;
			this.commands = null;
			if (connection != null) {
				try {
					connection.close();
				}
				catch (RuntimeException ex) {
					// the factory may be closed already
				}
			}
		}
	}

}
