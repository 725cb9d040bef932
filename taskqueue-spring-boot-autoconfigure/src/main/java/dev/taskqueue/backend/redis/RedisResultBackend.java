package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
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

	private final RedisConnectionFactory connectionFactory;

	private final ResultMetaCodec codec;

	private final StoreResultScript script;

	private final String url;

	private final ResultChannels channels;

	private final RedisChords chords;

	private final FailoverWrites failover;

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
		this.failover = new FailoverWrites(maskedUrl, commandTimeout(connectionFactory));
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
		this.failover.waitForReplicas(replicas, timeout);
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
		long deadline = this.failover.deadline();
		while (true) {
			try {
				execute(action, (connection) -> {
					this.script.store(connection, key, value);
					this.failover.awaitReplicas(connection, action);
					return null;
				});
				return;
			}
			catch (ResultBackendException ex) {
				if (!this.failover.mayStoreAgain(ex, deadline)) {
					throw ex;
				}
				this.failover.pause(action);
			}
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
		ServerRole server = execute("answer PING", (connection) -> {
			connection.ping();
			return ServerRole.of(connection);
		});
		if (server != null && !server.isMaster()) {
			throw new ResultBackendException("Redis result backend " + this.url + " is a " + server.role()
					+ ((server.address() != null) ? " (" + server.address() + ")" : "")
					+ ", not a master: it refuses to store results (after a failover, connect to the new master)");
		}
		return (server != null) ? server.toString() : "server";
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

	// Runs an operation on a connection; a write refused with READONLY is tried again (see
	// FailoverWrites), without resetting the connection, on which other threads' commands may be.
	private <T> @Nullable T execute(String action, Function<RedisConnection, @Nullable T> operation) {
		long deadline = this.failover.deadline();
		while (true) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return operation.apply(connection);
			}
			catch (RuntimeException ex) {
				if (!this.failover.mayWriteAgain(ex, deadline)) {
					throw new ResultBackendException("Cannot " + action + " in " + this.url + ": " + ex.getMessage(),
							ex);
				}
				this.failover.pause(action);
			}
		}
	}

	private static Duration commandTimeout(RedisConnectionFactory factory) {
		return (factory instanceof LettuceConnectionFactory lettuce && lettuce.getTimeout() > 0)
				? Duration.ofMillis(lettuce.getTimeout()) : FailoverWrites.DEFAULT_TIMEOUT;
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

}
