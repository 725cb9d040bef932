package dev.taskqueue.backend.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * Celery's Redis result backend ({@code redis://host:port/db}), compatible both ways with
 * Celery 5.2+ workers and clients.
 * <p>
 * A task meta is stored as JSON or msgpack (the codec's {@code result_serializer}; both are
 * read, whatever the codec writes) under {@code celery-task-meta-<task id>} with a time to
 * live of {@code result_expires}, and published on the channel of the same name. A stored
 * SUCCESS is never overwritten. Storing is one atomic {@code EVALSHA} of
 * {@link StoreResultScript}. A missing key reads as PENDING, {@link #forget} is {@code DEL}.
 * <p>
 * Chords use Celery's native Redis protocol ({@code celery-taskset-meta-<group id>.s},
 * {@code .j} and {@code .t}), so Java and Python workers can share a chord's header, and
 * groups are saved as {@code GroupResult.save()} saves them: see {@link RedisChords}.
 * <p>
 * {@link #subscribe} waits without polling, on one pub/sub connection shared by all
 * subscriptions and opened on the first one; it returns once Redis confirmed the
 * {@code SUBSCRIBE}. After a reconnect the subscriptions resume and the subscribed keys are
 * read again, so a result published while the connection was down is still delivered.
 * <p>
 * Commands go through the given connection factory (and its database); the pub/sub
 * connection is opened from its Lettuce client, so waiting needs a
 * {@link LettuceConnectionFactory} (standalone, Sentinel or cluster).
 */
public class RedisResultBackend implements ResultBackend, DisposableBean {

	static final String KEY_PREFIX = "celery-task-meta-";

	private static final Duration RETRY_DELAY = Duration.ofMillis(100);

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private final RedisConnectionFactory connectionFactory;

	private final ResultMetaCodec codec;

	private final StoreResultScript script;

	private final String url;

	private final ResultChannels channels;

	private final RedisChords chords;

	private volatile int waitForReplicas;

	private volatile Duration waitForReplicasTimeout = Duration.ofSeconds(1);

	/**
	 * Create a backend.
	 * @param connectionFactory the factory of connections to the backend's Redis database;
	 * owned (and closed) by the caller
	 * @param codec the codec of task metas
	 * @param resultExpires how long results are kept ({@code result_expires}), zero for ever
	 * @param maskedUrl the backend URL without its password, for messages
	 */
	public RedisResultBackend(RedisConnectionFactory connectionFactory, ResultMetaCodec codec, Duration resultExpires,
			String maskedUrl) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.isTrue(resultExpires != null && !resultExpires.isNegative(), "'resultExpires' must not be negative");
		Assert.hasText(maskedUrl, "'maskedUrl' must not be empty");
		this.connectionFactory = connectionFactory;
		this.codec = codec;
		this.script = new StoreResultScript(resultExpires);
		this.url = maskedUrl;
		this.channels = new ResultChannels(() -> connectPubSub(connectionFactory), this::readAll, codec, maskedUrl);
		this.chords = new RedisChords(codec, resultExpires, this::execute);
	}

	/**
	 * Make every stored result wait until that many replicas have it (Redis {@code WAIT}), so
	 * that a failover that promotes one of them cannot lose it.
	 * @param replicas how many replicas, 0 not to wait
	 * @param timeout the longest a store waits; it fails when fewer replicas had it by then
	 */
	public void setWaitForReplicas(int replicas, Duration timeout) {
		Assert.isTrue(replicas >= 0, "'replicas' must not be negative");
		Assert.isTrue(timeout != null && timeout.toMillis() > 0, "'timeout' must be at least a millisecond");
		this.waitForReplicas = replicas;
		this.waitForReplicasTimeout = timeout;
	}

	/**
	 * Store a task meta. A store whose connection was lost on the way (the master crashed,
	 * say), and with {@link #setWaitForReplicas} one fewer replicas confirmed in time, is made
	 * again, which rewriting the same meta allows, until it succeeds or the command timeout
	 * passes: after a failover it lands on the promoted replica.
	 */
	@Override
	public void store(ResultMeta meta) {
		byte[] value = this.codec.encode(meta);
		byte[] key = key(meta.taskId());
		String action = "store the " + meta.status() + " state of task " + meta.taskId();
		long deadline = System.nanoTime() + commandTimeout().toNanos();
		while (true) {
			try {
				execute(action, (connection) -> {
					this.script.store(connection, key, value);
					awaitReplicas(connection, action);
					return null;
				});
				return;
			}
			catch (ResultBackendException ex) {
				boolean again = ex.getCause() instanceof UnreplicatedWrite || connectionLost(ex);
				if (!again || System.nanoTime() + RETRY_DELAY.toNanos() > deadline) {
					throw ex;
				}
				pauseBeforeRetry(action);
			}
		}
	}

	// WAIT after a write on the same connection, which covers it
	private void awaitReplicas(RedisConnection connection, String action) {
		int replicas = this.waitForReplicas;
		if (replicas == 0) {
			return;
		}
		if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands)) {
			throw new ResultBackendException("Waiting for replicas needs a Lettuce connection, not "
					+ connection.getClass().getName());
		}
		Long count;
		try {
			count = commands.waitForReplication(replicas, this.waitForReplicasTimeout.toMillis())
				.toCompletableFuture()
				.get(this.waitForReplicasTimeout.toMillis() + commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ResultBackendException("Could " + action + " in " + this.url
					+ " on the master, but not wait for its replicas: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResultBackendException("Interrupted while waiting for the replicas of " + this.url, ex);
		}
		if (count == null || count < replicas) {
			throw new UnreplicatedWrite("Could " + action + " in " + this.url + " on the master, but only "
					+ count + " of the " + replicas + " replicas asked for (wait-for-replicas) had it within "
					+ this.waitForReplicasTimeout + ": a failover could lose it");
		}
	}

	@Override
	public ResultMeta get(String taskId) {
		byte[] value = execute("read the result of task " + taskId,
				(connection) -> connection.stringCommands().get(key(taskId)));
		if (value == null) {
			return ResultMeta.pending(taskId);
		}
		try {
			return this.codec.decode(value);
		}
		catch (RuntimeException ex) {
			throw new ResultBackendException("The value of " + KEY_PREFIX + taskId + " in " + this.url
					+ " is not a task meta in JSON or msgpack (is result_serializer json or msgpack?): "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public void forget(String taskId) {
		execute("forget task " + taskId, (connection) -> connection.keyCommands().del(key(taskId)));
	}

	@Override
	public ResultSubscription subscribe(String taskId, ResultListener listener) {
		return this.channels.subscribe(KEY_PREFIX + taskId, listener);
	}

	/**
	 * Subscribe, read the key, and tell the state read before what the channel brings after
	 * it, each state once: see {@link ResultChannels#follow}.
	 */
	@Override
	public ResultSubscription follow(String taskId, ResultListener listener) {
		return this.channels.follow(KEY_PREFIX + taskId, listener, () -> execute("read the result of task " + taskId,
				(connection) -> connection.stringCommands().get(key(taskId))));
	}

	/** Chords and groups with Celery's native Redis protocol (see {@link RedisChords}). */
	@Override
	public CanvasStore canvasStore() {
		return this.chords;
	}

	@Override
	public String url() {
		return this.url;
	}

	/**
	 * Check that Redis answers and takes writes: a replica answers PING but refuses to store
	 * results. A Redis that refuses {@code INFO replication} (an ACL, a renamed command) is
	 * taken as writable.
	 */
	@Override
	public void ping() {
		pingServer();
	}

	/**
	 * Check Redis as {@link #ping()} does and return its role and the address the connection
	 * reached ({@code CLIENT INFO}'s {@code laddr}), such as {@code master 127.0.0.1:6379}.
	 */
	@Override
	public String pingServer() {
		String[] server = execute("answer PING", (connection) -> {
			connection.ping();
			return new String[] { replicationRole(connection), serverAddress(connection) };
		});
		String name = (server != null) ? server[0] : null;
		String address = (server != null) ? server[1] : null;
		if (name != null && !"master".equals(name)) {
			throw new ResultBackendException("Redis result backend " + this.url + " is a " + name
					+ ((address != null) ? " (" + address + ")" : "")
					+ ", not a master: it refuses to store results (after a failover, connect to the new master)");
		}
		return ((name != null) ? name : "server") + ((address != null) ? " " + address : "");
	}

	/**
	 * Close the pub/sub connection and end all subscriptions. The connection factory is
	 * left to its owner.
	 */
	@Override
	public void destroy() {
		this.channels.close();
	}

	private List<byte @Nullable []> readAll(List<String> keys) {
		byte[][] raw = keys.stream().map(RedisResultBackend::bytes).toArray(byte[][]::new);
		List<byte[]> values = execute("read " + keys.size() + " results", (connection) -> connection.stringCommands()
			.mGet(raw));
		Assert.state(values != null && values.size() == keys.size(), "MGET returned no values");
		return values;
	}

	// the role INFO replication gives, or null when Redis refuses the command to this user
	private static @Nullable String replicationRole(RedisConnection connection) {
		try {
			Properties replication = connection.serverCommands().info("replication");
			return (replication != null) ? replication.getProperty("role") : null;
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

	// Runs an operation on a connection. A write refused with READONLY reached a replica (a
	// master being demoted by a failover): it is tried again every 100 ms, for up to the
	// command timeout, until the connection reaches a master (Sentinel disconnects the clients
	// of the instance it demotes, and Lettuce reconnects through the Sentinels). The connection
	// is not reset here: other threads' commands may be in flight on it.
	private <T> @Nullable T execute(String action, Function<RedisConnection, @Nullable T> operation) {
		long deadline = System.nanoTime() + commandTimeout().toNanos();
		while (true) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return operation.apply(connection);
			}
			catch (RuntimeException ex) {
				if (!refusedByReplica(ex) || System.nanoTime() + RETRY_DELAY.toNanos() > deadline) {
					throw new ResultBackendException("Cannot " + action + " in " + this.url + ": " + ex.getMessage(),
							ex);
				}
				pauseBeforeRetry(action);
			}
		}
	}

	private Duration commandTimeout() {
		return (this.connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getTimeout() > 0)
				? Duration.ofMillis(lettuce.getTimeout()) : DEFAULT_TIMEOUT;
	}

	// a READONLY error anywhere in the causes
	private static boolean refusedByReplica(Throwable ex) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof RedisReadOnlyException
					|| (cause.getMessage() != null && cause.getMessage().startsWith("READONLY"))) {
				return true;
			}
		}
		return false;
	}

	// the connection broke under the command (reset, closed), so whether it ran is unknown
	private static boolean connectionLost(Throwable ex) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof RedisConnectionException
					|| "Connection closed".equals(cause.getMessage())) {
				return true;
			}
		}
		return false;
	}

	// a failover takes seconds: wait a little before writing again
	private void pauseBeforeRetry(String action) {
		try {
			Thread.sleep(RETRY_DELAY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResultBackendException("Interrupted while waiting for a Redis master to " + action + " in "
					+ this.url, ex);
		}
	}

	// the server's end of the connection (CLIENT INFO's laddr), or null when Redis refuses to say
	private static @Nullable String serverAddress(RedisConnection connection) {
		try {
			Object info = connection.execute("CLIENT", "INFO".getBytes(StandardCharsets.US_ASCII));
			String text = (info instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: (info != null) ? info.toString() : null;
			if (text != null) {
				for (String field : text.trim().split(" ")) {
					if (field.startsWith("laddr=")) {
						return field.substring("laddr=".length());
					}
				}
			}
			return null;
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

	private static StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub(RedisConnectionFactory factory) {
		if (factory instanceof LettuceConnectionFactory lettuce) {
			AbstractRedisClient client = lettuce.getRequiredNativeClient();
			if (client instanceof RedisClient redisClient) {
				return redisClient.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			if (client instanceof RedisClusterClient clusterClient) {
				return clusterClient.connectPubSub(ByteArrayCodec.INSTANCE);
			}
		}
		throw new IllegalStateException("Waiting for results needs a LettuceConnectionFactory, not "
				+ factory.getClass().getName());
	}

	private static byte[] key(String taskId) {
		return bytes(KEY_PREFIX + taskId);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisResultBackend[" + this.url + "]";
	}

	/** A write the master made, and fewer replicas than asked for confirmed in time. */
	private static final class UnreplicatedWrite extends ResultBackendException {

		UnreplicatedWrite(String message) {
			super(message);
		}

	}

}
