package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;

/**
 * What the tests of a class share: a backend as a client uses it, a second backend on its
 * own connections as a worker uses it, and a plain Lettuce connection to look at Redis. The
 * keys of the task ids it hands out are deleted by {@link #deleteKeys()}.
 * <p>
 * Registered with {@code @RegisterExtension} on a static field, it deletes those keys after
 * each test and closes after the last one.
 */
final class RedisFixture implements AfterEachCallback, AfterAllCallback, AutoCloseable {

	/** How long the tests wait for a state to arrive or a subscription to end. */
	static final Duration WAIT = Duration.ofSeconds(10);

	final ClientResources resources = DefaultClientResources.create();

	/** The resources of {@link #clientFactory}: {@link #resources} unless it reconnects slowly. */
	private final ClientResources clientResources;

	final LettuceConnectionFactory clientFactory;

	final LettuceConnectionFactory workerFactory;

	final RedisClient client;

	final StatefulRedisConnection<String, String> connection;

	final RedisResultBackend backend;

	final RedisResultBackend worker;

	private final List<String> keys = new CopyOnWriteArrayList<>();

	/**
	 * Connect.
	 * @param name the client name prefix, as shown by {@code CLIENT LIST}
	 * @param expires the {@code result_expires} of both backends
	 */
	RedisFixture(String name, Duration expires) {
		this(name + "-client", name + "-worker", null, expires);
	}

	private RedisFixture(String clientName, String workerName, Delay reconnectDelay, Duration expires) {
		this.clientResources = (reconnectDelay != null)
				? DefaultClientResources.builder().reconnectDelay(reconnectDelay).build() : this.resources;
		this.clientFactory = TestRedis.connectionFactory(clientName, this.clientResources);
		this.workerFactory = TestRedis.connectionFactory(workerName, this.resources);
		this.client = TestRedis.client(this.resources);
		this.connection = TestRedis.connect(this.client);
		this.backend = backend(this.clientFactory, expires);
		this.worker = backend(this.workerFactory, expires);
	}

	/**
	 * Connect for a test that takes the client's connections away: they wait the given delay
	 * before they reconnect. Results expire after an hour.
	 * @param clientName the client name of the client's connections, as shown by
	 * {@code CLIENT LIST}
	 * @param workerName the client name of the worker's connections
	 * @param reconnectDelay how long the client's connections wait before reconnecting
	 * @return the fixture, to close after the test
	 */
	static RedisFixture reconnecting(String clientName, String workerName, Duration reconnectDelay) {
		return new RedisFixture(clientName, workerName, Delay.constant(reconnectDelay), Duration.ofHours(1));
	}

	static RedisResultBackend backend(RedisConnectionFactory factory, Duration expires) {
		return new RedisResultBackend(factory, new JsonResultMetaCodec(), expires, TestRedis.URL);
	}

	/** A new unique task id whose key is deleted after the test. */
	String taskId() {
		String taskId = TestRedis.taskId();
		use(TestRedis.key(taskId));
		return taskId;
	}

	/** Delete a key after the test. */
	String use(String key) {
		this.keys.add(key);
		return key;
	}

	RedisCommands<String, String> redis() {
		return this.connection.sync();
	}

	long numsub(String channel) {
		return redis().pubsubNumsub(channel).getOrDefault(channel, 0L);
	}

	/**
	 * Subscribe {@link #backend} to a new task id (see {@link #taskId()}), keeping the states
	 * it receives.
	 */
	Watch watch() {
		String taskId = taskId();
		List<ResultMeta> seen = new CopyOnWriteArrayList<>();
		return new Watch(taskId, seen, this.backend.subscribe(taskId, seen::add));
	}

	void deleteKeys() {
		if (!this.keys.isEmpty()) {
			redis().del(this.keys.toArray(String[]::new));
			this.keys.clear();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		deleteKeys();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		this.backend.destroy();
		this.worker.destroy();
		this.connection.close();
		this.client.shutdown();
		this.clientFactory.destroy();
		this.workerFactory.destroy();
		this.resources.shutdown();
		if (this.clientResources != this.resources) {
			this.clientResources.shutdown();
		}
	}

	/**
	 * A subscription of {@link RedisFixture#backend} to a task, and the states it received.
	 * Closing it closes the subscription.
	 *
	 * @param taskId the task id
	 * @param seen the states received, in order
	 * @param subscription the subscription
	 */
	record Watch(String taskId, List<ResultMeta> seen, ResultSubscription subscription) implements AutoCloseable {

		@Override
		public void close() {
			this.subscription.close();
		}

	}

}
