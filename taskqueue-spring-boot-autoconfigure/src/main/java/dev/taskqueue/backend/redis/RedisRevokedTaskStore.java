package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.util.Assert;

import dev.taskqueue.backend.AbstractRevokedTaskStore;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.RevokeMessages;
import dev.taskqueue.backend.RevokedTaskStore;

/**
 * A {@link RevokedTaskStore} in Redis: a sorted set of revoked task ids scored by when each
 * revoke expires (epoch milliseconds), and a pub/sub channel of the same name on which every
 * revoke is published as it is made.
 * <p>
 * A revoke is one atomic script ({@link RevokeScript}): it drops the expired entries, adds
 * the ids, lets the key expire with its last entry and publishes the revoke. A follower
 * subscribes to the channel first and reads the set second ({@code ZRANGEBYSCORE} from now
 * on), so no revoke slips between the two. Lettuce reconnects the pub/sub connection by
 * itself and subscribes again; the set is read again once Redis confirmed that subscription,
 * which catches the revokes published while the connection was down.
 */
public class RedisRevokedTaskStore extends AbstractRevokedTaskStore implements DisposableBean {

	/** The key (and channel) of the revoked set unless another one is given. */
	public static final String DEFAULT_KEY = "taskqueue.revoked";

	private static final Log logger = LogFactory.getLog(RedisRevokedTaskStore.class);

	private final RedisConnectionFactory connectionFactory;

	private final String keyName;

	private final byte[] key;

	private final String url;

	private final ExecutorService reloads = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "taskqueue-revokes-redis");
		thread.setDaemon(true);
		return thread;
	});

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

	/**
	 * Create a store.
	 * @param connectionFactory the factory of connections to the Redis database that keeps
	 * the revokes; owned (and closed) by the caller
	 * @param key the key of the sorted set, also the name of the channel
	 * @param ttl how long a revoke is kept
	 * @param maskedUrl the Redis URL without its password, for messages
	 */
	public RedisRevokedTaskStore(RedisConnectionFactory connectionFactory, String key, Duration ttl,
			String maskedUrl) {
		this(connectionFactory, key, ttl, maskedUrl, Clock.systemUTC());
	}

	RedisRevokedTaskStore(RedisConnectionFactory connectionFactory, String key, Duration ttl, String maskedUrl,
			Clock clock) {
		super(ttl, clock);
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.hasText(key, "'key' must not be empty");
		Assert.hasText(maskedUrl, "'maskedUrl' must not be empty");
		this.connectionFactory = connectionFactory;
		this.keyName = key;
		this.key = key.getBytes(StandardCharsets.UTF_8);
		this.url = maskedUrl;
	}

	@Override
	protected void persist(List<String> taskIds, boolean terminate, Instant expires) {
		byte[] message = RevokeMessages.encode(taskIds, terminate, expires);
		long now = clock().millis();
		execute("keep the revoke of " + taskIds,
				(connection) -> RevokeScript.revoke(connection, this.key, now, expires.toEpochMilli(), message, taskIds));
	}

	@Override
	protected void startFollowing() {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = connectPubSub();
		try {
			connection.addListener(new Subscriber());
			connection.sync().subscribe(this.key);
			load();
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
		this.pubSub = connection;
	}

	@Override
	protected void stopFollowing() {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.pubSub;
		this.pubSub = null;
		// closed already when the connection factory stopped first
		if (connection != null && connection.isOpen()) {
			connection.close();
		}
	}

	/** Read the revokes that have not expired into this process' copy. */
	private void load() {
		Set<Tuple> entries = execute("read the revoked tasks", (connection) -> connection.zSetCommands()
			.zRangeByScoreWithScores(this.key, clock().millis(), Double.POSITIVE_INFINITY));
		if (entries != null) {
			for (Tuple entry : entries) {
				String taskId = new String(entry.getValue(), StandardCharsets.UTF_8);
				Double score = entry.getScore();
				if (score != null && RevokeMessages.isValidId(taskId)) {
					apply(List.of(taskId), false, Instant.ofEpochMilli(score.longValue()));
				}
			}
		}
	}

	private void reload() {
		try {
			load();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read the revoked tasks again after reconnecting to " + this.url + ": " + ex);
		}
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			AbstractRedisClient client = lettuce.getRequiredNativeClient();
			if (client instanceof RedisClient redisClient) {
				return redisClient.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			if (client instanceof RedisClusterClient clusterClient) {
				return clusterClient.connectPubSub(ByteArrayCodec.INSTANCE);
			}
		}
		throw new IllegalStateException("Following revokes needs a LettuceConnectionFactory, not "
				+ this.connectionFactory.getClass().getName());
	}

	private <T> @Nullable T execute(String action, Function<RedisConnection, @Nullable T> operation) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return operation.apply(connection);
		}
		catch (RuntimeException ex) {
			throw new ResultBackendException("Cannot " + action + " in " + describe() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String describe() {
		return this.url + " (sorted set " + this.keyName + ")";
	}

	/** Stop following and end the pub/sub connection. The connection factory is left to its owner. */
	@Override
	public void destroy() {
		stopFollowing();
		this.reloads.shutdownNow();
	}

	/**
	 * Receives the revokes published on the channel, on Lettuce's thread, and reads the set
	 * again when a subscription is confirmed a second time (a re-subscription after a
	 * reconnect).
	 */
	private final class Subscriber extends RedisPubSubAdapter<byte[], byte[]> {

		private int confirmations;

		@Override
		public void message(byte[] channel, byte[] message) {
			received(message);
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			if (++this.confirmations > 1) {
				try {
					RedisRevokedTaskStore.this.reloads.execute(RedisRevokedTaskStore.this::reload);
				}
				catch (RejectedExecutionException ex) {
					// destroyed
				}
			}
		}

	}

}
