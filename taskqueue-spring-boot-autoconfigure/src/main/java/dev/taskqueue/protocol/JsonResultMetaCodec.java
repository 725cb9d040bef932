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
 * The task meta in Celery's JSON result format (what the Redis backend stores under
 * {@code celery-task-meta-<id>} and publishes on the channel of the same name).
 * <p>
 * Keys are written in Celery's order: {@code status, result, traceback, children,
 * date_done}, then {@code group_id} and {@code parent_id} when set, then the
 * {@code result_extended} fields {@code name, args, kwargs, worker, retries, queue} when
 * present, then {@code task_id}. Celery never writes {@code group_index} into a meta, so
 * neither does this codec (it is read when present). {@code date_done} is written with six
 * fractional digits and {@code +00:00}, as Celery 5.4+ does; it is read with or without
 * an offset (Celery 5.2 and 5.3 write naive UTC times).
 */
public final class JsonResultMetaCodec implements ResultMetaCodec {

	private static final Set<String> EXTENDED = Set.of("name", "args", "kwargs", "worker", "retries", "queue");

	private final JsonMapper mapper = CeleryJson.newMapper();

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
	 * @return the JSON bytes (UTF-8)
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
			return this.mapper.writeValueAsBytes(map);
		}
		catch (JacksonException ex) {
			String type = (meta.result() != null) ? meta.result().getClass().getName() : "null";
			throw new MessageEncodingException("Cannot serialize the " + meta.status() + " result of task "
					+ meta.taskId() + " (" + type + ") to JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public ResultMeta decode(byte[] json) {
		Object value;
		try {
			value = this.mapper.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new MessageDecodingException("Invalid task meta: not JSON: " + ex.getOriginalMessage(), ex);
		}
		Map<String, Object> map = WireValues.map(KombuJson.unwrap(value), "task meta");
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
