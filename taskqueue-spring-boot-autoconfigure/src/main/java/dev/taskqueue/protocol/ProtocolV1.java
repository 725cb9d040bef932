package dev.taskqueue.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task protocol v1 and the "hybrid" form, converted to the v2 model the way Celery's
 * {@code proto1_to_proto2} and {@code hybrid_to_proto2} do.
 * <p>
 * Protocol v1 has no task headers; the body is an object:
 * <pre>{"task": "tasks.add", "id": "…", "args": [1, 2], "kwargs": {}, "group": null,
 *  "group_index": null, "retries": 0, "eta": "…", "expires": "…", "utc": true,
 *  "callbacks": null, "errbacks": null, "timelimit": [null, null], "taskset": null,
 *  "chord": null}</pre>
 * {@code taskset} is the old name of {@code group}; v1 has no chain (chains are nested
 * callbacks), no root or parent id ({@code root_id} becomes the task id); the message
 * headers, if any, become custom headers. {@code argsrepr} and {@code kwargsrepr} are
 * computed as Celery does.
 * <p>
 * A v1 body with {@code "utc": false} means that naive {@code eta}/{@code expires} values
 * are in the sender's local time zone, which the receiver cannot know: they are read as
 * UTC anyway, like every naive time in this library (Celery has sent UTC by default since
 * 3.0).
 * <p>
 * The hybrid form has v2 headers and a v1-style body object with {@code args}; the fields
 * of the body are defaults that the headers override.
 */
final class ProtocolV1 {

	private ProtocolV1() {
	}

	static TaskMessage v1(Map<String, Object> messageHeaders, MessageProperties properties, Map<String, Object> body) {
		Map<String, Object> headers = headersFromBody(body);
		List<Object> args = body.containsKey("args") ? TaskMessageReader.args(body.get("args")) : new ArrayList<>();
		Map<String, Object> kwargs = TaskMessageReader.kwargs(body.get("kwargs"));
		headers.putIfAbsent("argsrepr", PythonRepr.args(args));
		headers.putIfAbsent("kwargsrepr", PythonRepr.kwargs(kwargs));
		messageHeaders.forEach((name, value) -> {
			if (!TaskHeadersMapper.COMPRESSION.equals(name)) {
				headers.putIfAbsent(name, value);
			}
		});
		return new TaskMessage(TaskHeadersMapper.fromMap(headers), properties, args, kwargs, embed(body));
	}

	static TaskMessage hybrid(Map<String, Object> messageHeaders, MessageProperties properties,
			Map<String, Object> body) {
		Map<String, Object> headers = headersFromBody(body);
		headers.putAll(messageHeaders);
		List<Object> args = TaskMessageReader.args(body.get("args"));
		Map<String, Object> kwargs = TaskMessageReader.kwargs(body.get("kwargs"));
		return new TaskMessage(TaskHeadersMapper.fromMap(headers), properties, args, kwargs, embed(body));
	}

	/**
	 * Return the v2 headers found in a v1 body; {@code null} values are left out.
	 * @param body the v1 body
	 * @return the headers
	 */
	private static Map<String, Object> headersFromBody(Map<String, Object> body) {
		Map<String, Object> headers = new LinkedHashMap<>();
		for (String name : TaskHeadersMapper.NAMES) {
			Object value = body.get(name);
			if (value != null) {
				headers.put(name, value);
			}
		}
		Object taskset = body.get("taskset");
		if (taskset != null) {
			headers.put("group", taskset);
		}
		return headers;
	}

	private static Embed embed(Map<String, Object> body) {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", body.get("callbacks"));
		embed.put("errbacks", body.get("errbacks"));
		embed.put("chain", null);
		embed.put("chord", body.get("chord"));
		return TaskMessageReader.embed(embed);
	}

}
