package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.Serializer;
import dev.taskqueue.testsupport.RedisServer;

/**
 * What the chord and group tests share: Redis database 13 (theirs only), a backend per result
 * serializer on one connection factory, a plain Lettuce connection to look at the keys, and
 * group ids whose four keys are deleted after each test. Registered with
 * {@code @RegisterExtension} on a static field.
 */
final class ChordRedis implements AfterEachCallback, AfterAllCallback {

	static final int DATABASE = 13;

	static final String URL = RedisServer.url(DATABASE);

	static final Duration DAY = Duration.ofDays(1);

	final LettuceConnectionFactory factory;

	final RedisResultBackend backend;

	final RedisResultBackend msgpack;

	/** The canvas store of {@link #backend}. */
	final CanvasStore store;

	/** The canvas store of {@link #msgpack}. */
	final CanvasStore msgpackStore;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final StatefulRedisConnection<byte[], byte[]> binary;

	private final List<String> groupIds = new CopyOnWriteArrayList<>();

	/**
	 * Connect.
	 * @param name the client name of the backends' connections
	 */
	ChordRedis(String name) {
		this.factory = RedisServer.connectionFactory(DATABASE, name, null);
		this.backend = new RedisResultBackend(this.factory, new JsonResultMetaCodec(), DAY, URL);
		this.msgpack = new RedisResultBackend(this.factory, new JsonResultMetaCodec(Serializer.MSGPACK), DAY, URL);
		this.store = this.backend.canvasStore();
		this.msgpackStore = this.msgpack.canvasStore();
		this.client = RedisClient.create(RedisURI.create(URL));
		this.connection = this.client.connect();
		this.binary = this.client.connect(ByteArrayCodec.INSTANCE);
	}

	/** A new group id, {@code java-<uuid>}, whose keys are deleted after the test. */
	String groupId() {
		return use("java-" + UUID.randomUUID());
	}

	/** Delete the keys of a group id after the test. */
	String use(String groupId) {
		this.groupIds.add(groupId);
		return groupId;
	}

	RedisClient client() {
		return this.client;
	}

	static String key(String groupId, String suffix) {
		return RedisChords.GROUP_PREFIX + groupId + suffix;
	}

	/** {@code AsyncResult.as_tuple()} of a task without parent: {@code [[id, null], null]}. */
	static List<Object> taskTuple(String taskId) {
		return Arrays.asList(Arrays.asList(taskId, null), null);
	}

	/** {@code GroupResult.as_tuple()}: {@code [[id, null], [members]]}. */
	static List<Object> groupTuple(String groupId, List<?>... members) {
		return Arrays.asList(Arrays.asList(groupId, null), List.of(members));
	}

	RedisCommands<String, String> redis() {
		return this.connection.sync();
	}

	/** The members of a sorted set as stored, in score order. */
	List<byte[]> members(String key) {
		return this.binary.sync().zrange(key.getBytes(StandardCharsets.UTF_8), 0, -1);
	}

	/** The value of a key as stored. */
	byte[] value(String key) {
		return this.binary.sync().get(key.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		for (String groupId : this.groupIds) {
			redis().del(key(groupId, ""), key(groupId, ".j"), key(groupId, ".t"), key(groupId, ".s"));
		}
		this.groupIds.clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.backend.destroy();
		this.msgpack.destroy();
		this.connection.close();
		this.binary.close();
		this.client.shutdown();
		this.factory.destroy();
	}

}
