package dev.taskqueue.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Turns a decoded body and the header table into a {@link TaskMessage}, telling the
 * protocols apart as a Celery worker does: a {@code task} header means protocol v2 (with a
 * {@code [args, kwargs, embed]} body, or a v1-style body object holding {@code args}: the
 * "hybrid" form); no {@code task} header and a body object holding {@code task} means
 * protocol v1 (see {@link ProtocolV1}).
 */
final class TaskMessageReader {

	private TaskMessageReader() {
	}

	static TaskMessage read(Map<String, Object> headers, MessageProperties properties, @Nullable Object body) {
		if (headers.get("task") != null) {
			if (body instanceof Map<?, ?> map && map.containsKey("args")) {
				return ProtocolV1.hybrid(headers, properties, castMap(map));
			}
			TaskHeaders taskHeaders = TaskHeadersMapper.fromMap(headers);
			if (!(body instanceof List<?> parts)) {
				throw new MessageDecodingException("Invalid body of task " + describe(taskHeaders)
						+ ": body must be [args, kwargs, embed] (a JSON array of 3 elements) but is " + kind(body));
			}
			if (parts.size() != 3) {
				throw new MessageDecodingException("Invalid body of task " + describe(taskHeaders)
						+ ": body must be [args, kwargs, embed] (a JSON array of 3 elements) but has " + parts.size()
						+ " element(s); a Python worker cannot run such a message");
			}
			return new TaskMessage(taskHeaders, properties, args(parts.get(0)), kwargs(parts.get(1)),
					embed(parts.get(2)));
		}
		if (body instanceof Map<?, ?> map && map.containsKey("task")) {
			return ProtocolV1.v1(headers, properties, castMap(map));
		}
		throw new MessageDecodingException("Not a Celery task message: there is no 'task' header (protocol v2) "
				+ "and the body is not a protocol v1 task object (it is " + kind(body) + ")");
	}

	static List<Object> args(@Nullable Object value) {
		List<Object> args = WireValues.list(value, "task body: args");
		if (args == null) {
			throw new MessageDecodingException("Invalid task body: args must be a list but is null");
		}
		return args;
	}

	static Map<String, Object> kwargs(@Nullable Object value) {
		Map<String, Object> kwargs = WireValues.map(value, "task body: kwargs (must be a mapping)");
		return (kwargs != null) ? kwargs : new LinkedHashMap<>();
	}

	/**
	 * Read the embed object; {@code null} is {@link Embed#NONE}, missing keys are
	 * {@code null}.
	 * @param value the decoded embed
	 * @return the embed
	 */
	static Embed embed(@Nullable Object value) {
		Map<String, Object> embed = WireValues.map(value, "task body: embed");
		if (embed == null) {
			return Embed.NONE;
		}
		return new Embed(signatures(embed.get("callbacks"), "callbacks"),
				signatures(embed.get("errbacks"), "errbacks"), signatures(embed.get("chain"), "chain"),
				WireValues.map(embed.get("chord"), "task body: embed 'chord' (a signature)"));
	}

	private static @Nullable List<Map<String, Object>> signatures(@Nullable Object value, String key) {
		List<Object> list = WireValues.list(value, "task body: embed '" + key + "' (a list of signatures)");
		if (list == null) {
			return null;
		}
		List<Map<String, Object>> signatures = new ArrayList<>(list.size());
		for (Object item : list) {
			Map<String, Object> signature = WireValues.map(item, "task body: signature in embed '" + key + "'");
			if (signature == null) {
				throw new MessageDecodingException("Invalid task body: null signature in embed '" + key + "'");
			}
			signatures.add(signature);
		}
		return signatures;
	}

	static String describe(TaskHeaders headers) {
		return "'" + headers.task() + "' (id " + headers.id() + ")";
	}

	static String kind(@Nullable Object body) {
		if (body == null) {
			return "null";
		}
		if (body instanceof List<?>) {
			return "a list";
		}
		if (body instanceof Map<?, ?>) {
			return "an object";
		}
		if (body instanceof String) {
			return "a string";
		}
		return "a " + body.getClass().getSimpleName();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> castMap(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

}
