package dev.taskqueue.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task meta in Celery's result format (what the Redis backend stores under
 * {@code celery-task-meta-<id>} and publishes on the channel of the same name), written with
 * kombu's {@code json} serializer (the default) or {@code msgpack} (Celery's
 * {@code result_serializer}) and read in either: a msgpack meta starts with a map header,
 * which no JSON text does, so a stored value needs no content type to be read.
 * <p>
 * Keys are written in Celery's order: {@code status, result, traceback, children,
 * date_done}, then {@code group_id} and {@code parent_id} when set, then the
 * {@code result_extended} fields {@code name, args, kwargs, worker, retries, queue} when
 * present, then {@code task_id}. Celery never writes {@code group_index} into a meta, so
 * neither does this codec (it is read when present). {@code date_done} is a string in both
 * serializers, written with six fractional digits and {@code +00:00}, as Celery 5.4+ does;
 * it is read with or without an offset (Celery 5.2 and 5.3 write naive UTC times).
 * <p>
 * Plain values (chord parts, saved groups) are written with the same serializer by
 * {@link #encodeValue} and read in either by {@link #decodeValue}.
 */
public final class JsonResultMetaCodec implements ResultMetaCodec {

	private static final Set<String> GENERIC_TYPES = Set.of("", "application/octet-stream", "application/data");

	private static final Set<String> EXTENDED = Set.of("name", "args", "kwargs", "worker", "retries", "queue");

	private final JsonMapper mapper = CeleryJson.newMapper();

	private final ValueWriter writer;

	/** A codec that writes JSON and reads JSON and msgpack. */
	public JsonResultMetaCodec() {
		this(Serializer.JSON);
	}

	/**
	 * A codec that writes with a serializer and reads JSON and msgpack.
	 * @param serializer the serializer of the metas it writes
	 */
	public JsonResultMetaCodec(Serializer serializer) {
		this.writer = new ValueWriter(serializer, this.mapper);
	}

	@Override
	public byte[] encode(ResultMeta meta) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("status", meta.status());
		map.put("result", meta.result());
		map.put("traceback", meta.traceback());
		map.put("children", meta.children());
		map.put("date_done", (meta.dateDone() != null) ? CeleryTime.format(meta.dateDone()) : null);
		if (meta.groupId() != null) {
			map.put("group_id", meta.groupId());
		}
		if (meta.parentId() != null) {
			map.put("parent_id", meta.parentId());
		}
		ResultMeta.Extended extended = meta.extended();
		if (extended != null) {
			map.put("name", extended.name());
			map.put("args", extended.args());
			map.put("kwargs", extended.kwargs());
			map.put("worker", extended.worker());
			map.put("retries", extended.retries());
			map.put("queue", extended.queue());
		}
		map.put("task_id", meta.taskId());
		return write(meta, map);
	}

	/**
	 * Encode the body of an rpc:// backend reply as Celery 5.2 to 5.6 write it:
	 * {@code {"task_id", "status", "result", "traceback", "children"}}, without
	 * {@code date_done} or extended fields.
	 * @param meta the meta
	 * @return the serialized meta
	 * @throws MessageEncodingException when the result cannot be serialized
	 */
	@Override
	public byte[] encodeRpc(ResultMeta meta) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("task_id", meta.taskId());
		map.put("status", meta.status());
		map.put("result", meta.result());
		map.put("traceback", meta.traceback());
		map.put("children", meta.children());
		return write(meta, map);
	}

	private byte[] write(ResultMeta meta, Map<String, Object> map) {
		try {
			return this.writer.write(map);
		}
		catch (MessageEncodingException ex) {
			String type = (meta.result() != null) ? meta.result().getClass().getName() : "null";
			throw new MessageEncodingException("Cannot serialize the " + meta.status() + " result of task "
					+ meta.taskId() + " (" + type + ") to " + this.writer.displayName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Encode a plain value with this codec's serializer: JSON text such as
	 * {@code [1, "36ff...", "SUCCESS", 3]}, as kombu's {@code json} writes it, or msgpack.
	 */
	@Override
	public byte[] encodeValue(@Nullable Object value) {
		try {
			return this.writer.write(value);
		}
		catch (MessageEncodingException ex) {
			String type = (value != null) ? value.getClass().getName() : "null";
			throw new MessageEncodingException("Cannot serialize a " + type + " to " + this.writer.displayName() + ": "
					+ ex.getMessage(), ex);
		}
	}

	/**
	 * Decode a value as msgpack when it starts with a msgpack array or map header, which no
	 * JSON text does, else as JSON.
	 */
	@Override
	public @Nullable Object decodeValue(byte[] bytes) {
		if (isMsgpackMap(bytes) || isMsgpackArray(bytes)) {
			return MsgpackBody.read(bytes);
		}
		try {
			return KombuJson.unwrap(this.mapper.readValue(bytes, Object.class));
		}
		catch (JacksonException ex) {
			throw new MessageDecodingException("Invalid value: neither JSON nor a msgpack array or map: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public String contentType() {
		return this.writer.serializer().contentType();
	}

	@Override
	public String contentEncoding() {
		return this.writer.serializer().contentEncoding();
	}

	@Override
	public ResultMeta decode(byte[] bytes) {
		return isMsgpackMap(bytes) ? decodeMsgpack(bytes) : decodeJson(bytes);
	}

	/**
	 * Decode a meta by its content type, JSON or msgpack; by its first byte when it has none
	 * (or only a generic one: {@code application/octet-stream}, kombu's {@code application/data}).
	 * @param bytes the serialized meta
	 * @param contentType the content type it came with, {@code null} when none
	 * @return the meta
	 * @throws MessageDecodingException when the bytes are not a task meta, or the content type
	 * is another one, such as pickle's
	 */
	@Override
	public ResultMeta decode(byte[] bytes, @Nullable String contentType) {
		if (GENERIC_TYPES.contains(Serializer.mediaType(contentType))) {
			return decode(bytes);
		}
		Serializer serializer = Serializer.forContentType(contentType);
		if (serializer == null) {
			throw new MessageDecodingException("Invalid task meta: content type '" + contentType
					+ "' is not read (only application/json and application/x-msgpack)");
		}
		return (serializer == Serializer.MSGPACK) ? decodeMsgpack(bytes) : decodeJson(bytes);
	}

	// a msgpack map starts with a fixmap, map 16 or map 32 header, which no JSON text does
	private static boolean isMsgpackMap(byte[] bytes) {
		int first = (bytes.length > 0) ? bytes[0] & 0xff : 0;
		return (first >= 0x80 && first <= 0x8f) || first == 0xde || first == 0xdf;
	}

	// a msgpack array starts with a fixarray, array 16 or array 32 header
	private static boolean isMsgpackArray(byte[] bytes) {
		int first = (bytes.length > 0) ? bytes[0] & 0xff : 0;
		return (first >= 0x90 && first <= 0x9f) || first == 0xdc || first == 0xdd;
	}

	private ResultMeta decodeJson(byte[] json) {
		Object value;
		try {
			value = this.mapper.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new MessageDecodingException("Invalid task meta: not JSON: " + ex.getOriginalMessage(), ex);
		}
		return read(KombuJson.unwrap(value));
	}

	private ResultMeta decodeMsgpack(byte[] msgpack) {
		Object value;
		try {
			value = MsgpackBody.read(msgpack);
		}
		catch (MessageDecodingException ex) {
			throw new MessageDecodingException("Invalid task meta: " + ex.getMessage(), ex);
		}
		return read(value);
	}

	private ResultMeta read(@Nullable Object value) {
		Map<String, Object> map = WireValues.map(value, "task meta");
		if (map == null) {
			throw new MessageDecodingException("Invalid task meta: expected an object but got null");
		}
		String taskId = WireValues.requiredText(map.get("task_id"), "task meta field 'task_id'");
		String status = WireValues.requiredText(map.get("status"), "task meta field 'status' of task " + taskId);
		List<Object> children = WireValues.list(map.get("children"), "task meta field 'children'");
		return new ResultMeta(taskId, status, map.get("result"),
				WireValues.string(map.get("traceback"), "task meta field 'traceback'"),
				(children != null) ? children : new ArrayList<>(), dateDone(map.get("date_done")),
				WireValues.string(map.get("group_id"), "task meta field 'group_id'"),
				WireValues.integer(map.get("group_index"), "task meta field 'group_index'"),
				WireValues.string(map.get("parent_id"), "task meta field 'parent_id'"), extended(map));
	}

	private static @Nullable Instant dateDone(@Nullable Object value) {
		return WireValues.time(value, "task meta field 'date_done'");
	}

	private static ResultMeta.@Nullable Extended extended(Map<String, Object> map) {
		if (map.keySet().stream().noneMatch(EXTENDED::contains)) {
			return null;
		}
		return new ResultMeta.Extended(WireValues.string(map.get("name"), "task meta field 'name'"),
				WireValues.list(map.get("args"), "task meta field 'args'"),
				WireValues.map(map.get("kwargs"), "task meta field 'kwargs'"),
				WireValues.string(map.get("worker"), "task meta field 'worker'"),
				WireValues.integer(map.get("retries"), "task meta field 'retries'"),
				WireValues.string(map.get("queue"), "task meta field 'queue'"));
	}

}
