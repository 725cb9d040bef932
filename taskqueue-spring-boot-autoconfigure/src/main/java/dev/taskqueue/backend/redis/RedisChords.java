package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.Assert;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.CanvasValues;
import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The {@link CanvasStore} of {@link RedisResultBackend}, with Celery 5.2's keys and values:
 * <ul>
 * <li>{@code celery-taskset-meta-<group id>.s}: the chord size as decimal text, stored and
 * published as a result is ({@code SET} with expiry, {@code PUBLISH});</li>
 * <li>{@code .j}: a sorted set of the parts, each {@code [1, task_id, state, result]}
 * serialized with the result serializer, scored by {@code group_index} (see
 * {@link ChordPartScript});</li>
 * <li>{@code .t}: the members added to the chord after it started ({@code INCR} by Celery's
 * {@code Task.add_to_chord}), only read here;</li>
 * <li>{@code celery-taskset-meta-<group id>}: a saved group, {@code {"result": tuple}}
 * serialized with the result serializer, stored and published as a result is.</li>
 * </ul>
 */
final class RedisChords implements CanvasStore {

	static final String GROUP_PREFIX = "celery-taskset-meta-";

	private final ResultMetaCodec codec;

	private final StoreResultScript store;

	private final ChordPartScript parts;

	private final Commands commands;

	/**
	 * Create the chord side of a backend.
	 * @param codec the codec of the result serializer
	 * @param resultExpires how long results are kept, zero for ever
	 * @param commands runs commands on the backend's connections
	 */
	RedisChords(ResultMetaCodec codec, Duration resultExpires, Commands commands) {
		this.codec = codec;
		this.store = new StoreResultScript(resultExpires);
		this.parts = new ChordPartScript(resultExpires);
		this.commands = commands;
	}

	@Override
	public void setChordSize(String groupId, int size) {
		Assert.isTrue(size >= 0, () -> "The size of chord " + groupId + " must not be negative, not " + size);
		byte[] key = key(groupId, ".s");
		byte[] value = bytes(Integer.toString(size));
		this.commands.execute("set the size of chord " + groupId,
				(connection) -> this.store.store(connection, key, value));
	}

	@Override
	public @Nullable List<ChordPart> addChordPart(String groupId, @Nullable Integer groupIndex, ChordPart part) {
		byte[] encoded = this.codec.encodeValue(CanvasValues.partTuple(part));
		byte[][] keys = { key(groupId, ".j"), key(groupId, ".t"), key(groupId, ".s") };
		List<byte[]> all = this.commands.execute("add the " + part.state() + " part of task " + part.taskId()
				+ " to chord " + groupId, (connection) -> this.parts.add(connection, keys, encoded, groupIndex));
		if (all == null || all.isEmpty()) {
			return null;
		}
		String where = GROUP_PREFIX + groupId + ".j";
		List<ChordPart> decoded = new ArrayList<>(all.size());
		for (byte[] entry : all) {
			decoded.add(CanvasValues.part(decode(entry, where), where));
		}
		return decoded;
	}

	@Override
	public void deleteChord(String groupId) {
		byte[][] keys = { key(groupId, ".j"), key(groupId, ".t"), key(groupId, ".s") };
		this.commands.execute("delete chord " + groupId, (connection) -> connection.keyCommands().del(keys));
	}

	@Override
	public void saveGroup(String groupId, List<?> resultTuple) {
		CanvasValues.checkGroupTuple(groupId, resultTuple);
		byte[] value = this.codec.encodeValue(CanvasValues.savedGroup(resultTuple));
		byte[] key = key(groupId, "");
		this.commands.execute("save group " + groupId, (connection) -> this.store.store(connection, key, value));
	}

	@Override
	public @Nullable List<Object> restoreGroup(String groupId) {
		byte[] key = key(groupId, "");
		byte[] value = this.commands.execute("restore group " + groupId,
				(connection) -> connection.stringCommands().get(key));
		if (value == null) {
			return null;
		}
		String where = GROUP_PREFIX + groupId;
		return CanvasValues.groupTuple(decode(value, where), where);
	}

	@Override
	public void forgetGroup(String groupId) {
		byte[] key = key(groupId, "");
		this.commands.execute("forget group " + groupId, (connection) -> connection.keyCommands().del(key));
	}

	private @Nullable Object decode(byte[] value, String where) {
		try {
			return this.codec.decodeValue(value);
		}
		catch (MessageDecodingException ex) {
			throw new ResultBackendException("The value in " + where
					+ " is neither JSON nor msgpack (is result_serializer json or msgpack?): " + ex.getMessage(), ex);
		}
	}

	private static byte[] key(String groupId, String suffix) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		return bytes(GROUP_PREFIX + groupId + suffix);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Runs commands on the backend's connections, turning failures into a {@link ResultBackendException}. */
	@FunctionalInterface
	interface Commands {

		/**
		 * Run an operation on a connection.
		 * @param <T> what it returns
		 * @param action what it does, for the error message ("store ...")
		 * @param operation the operation
		 * @return what the operation returned
		 * @throws ResultBackendException when it fails
		 */
		<T> @Nullable T execute(String action, Function<RedisConnection, @Nullable T> operation);

	}

}
