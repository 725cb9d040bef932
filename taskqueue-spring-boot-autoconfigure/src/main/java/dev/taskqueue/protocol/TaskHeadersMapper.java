package dev.taskqueue.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Maps {@link TaskHeaders} to Celery's v2 header table and back, in Celery's key order:
 * {@code lang, task, id, shadow, eta, expires, group, group_index, retries, timelimit,
 * root_id, parent_id, argsrepr, kwargsrepr, origin, ignore_result, replaced_task_nesting,
 * stamped_headers, stamps}, then the custom headers.
 */
final class TaskHeadersMapper {

	/** The header that names the body compression; owned by the codec. */
	static final String COMPRESSION = "compression";

	static final List<String> NAMES = List.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result", "replaced_task_nesting", "stamped_headers", "stamps");

	private static final Set<String> RESERVED = Set.copyOf(concat(NAMES, COMPRESSION));

	private TaskHeadersMapper() {
	}

	/**
	 * The header table of a message. Custom headers whose names Celery uses are left out.
	 * @param headers the headers
	 * @param args the positional arguments, for a missing {@code argsrepr}
	 * @param kwargs the keyword arguments, for a missing {@code kwargsrepr}
	 * @return a new ordered map
	 */
	static Map<String, Object> toMap(TaskHeaders headers, List<Object> args, Map<String, Object> kwargs) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("lang", headers.lang());
		map.put("task", headers.task());
		map.put("id", headers.id());
		map.put("shadow", headers.shadow());
		map.put("eta", format(headers.eta()));
		map.put("expires", format(headers.expires()));
		map.put("group", headers.group());
		map.put("group_index", headers.groupIndex());
		map.put("retries", headers.retries());
		map.put("timelimit", Arrays.asList(seconds(headers.timeLimit().hard()), seconds(headers.timeLimit().soft())));
		map.put("root_id", headers.rootId());
		map.put("parent_id", headers.parentId());
		map.put("argsrepr", (headers.argsrepr() != null) ? headers.argsrepr() : PythonRepr.args(args));
		map.put("kwargsrepr", (headers.kwargsrepr() != null) ? headers.kwargsrepr() : PythonRepr.kwargs(kwargs));
		map.put("origin", headers.origin());
		map.put("ignore_result", headers.ignoreResult());
		map.put("replaced_task_nesting", headers.replacedTaskNesting());
		List<String> stampedHeaders = headers.stampedHeaders();
		map.put("stamped_headers", (stampedHeaders != null) ? new ArrayList<>(stampedHeaders) : null);
		map.put("stamps", new LinkedHashMap<>(headers.stamps()));
		headers.extra().forEach((name, value) -> {
			if (!RESERVED.contains(name)) {
				map.put(name, value);
			}
		});
		return map;
	}

	/**
	 * Read a v2 header table. Missing headers get Celery's defaults: {@code lang} "py",
	 * {@code retries} 0, {@code root_id} the task id, {@code ignore_result} false, no time
	 * limits, no stamps.
	 * @param map the headers
	 * @return the headers
	 * @throws MessageDecodingException when {@code task} or {@code id} is missing or a
	 * header has the wrong type
	 */
	static TaskHeaders fromMap(Map<String, Object> map) {
		String task = WireValues.requiredText(map.get("task"), "header 'task' (the task name)");
		String id = WireValues.requiredText(map.get("id"), "header 'id' (the task id)");
		String lang = WireValues.string(map.get("lang"), "header 'lang'");
		String rootId = WireValues.string(map.get("root_id"), "header 'root_id'");
		Map<String, Object> stamps = WireValues.map(map.get("stamps"), "header 'stamps'");
		Map<String, Object> extra = new LinkedHashMap<>();
		map.forEach((name, value) -> {
			if (!RESERVED.contains(name)) {
				extra.put(name, value);
			}
		});
		return new TaskHeaders((lang != null) ? lang : "py", task, id,
				WireValues.string(map.get("shadow"), "header 'shadow'"),
				WireValues.time(map.get("eta"), "header 'eta'"),
				WireValues.time(map.get("expires"), "header 'expires'"),
				WireValues.string(map.get("group"), "header 'group'"),
				WireValues.integer(map.get("group_index"), "header 'group_index'"),
				WireValues.integer(map.get("retries"), "header 'retries'", 0), timeLimit(map.get("timelimit")),
				(rootId != null && !rootId.isEmpty()) ? rootId : id,
				WireValues.string(map.get("parent_id"), "header 'parent_id'"),
				WireValues.string(map.get("argsrepr"), "header 'argsrepr'"),
				WireValues.string(map.get("kwargsrepr"), "header 'kwargsrepr'"),
				WireValues.string(map.get("origin"), "header 'origin'"),
				WireValues.bool(map.get("ignore_result"), "header 'ignore_result'", false),
				WireValues.integer(map.get("replaced_task_nesting"), "header 'replaced_task_nesting'", 0),
				stampedHeaders(map.get("stamped_headers")), (stamps != null) ? new LinkedHashMap<>(stamps) : Map.of(),
				extra);
	}

	private static TimeLimit timeLimit(@Nullable Object value) {
		List<Object> limits = WireValues.list(value, "header 'timelimit'");
		if (limits == null) {
			return TimeLimit.NONE;
		}
		if (limits.size() != 2) {
			throw new MessageDecodingException(
					"Invalid header 'timelimit': expected [hard, soft] but got " + limits.size() + " values");
		}
		return new TimeLimit(WireValues.number(limits.get(0), "header 'timelimit' (hard limit)"),
				WireValues.number(limits.get(1), "header 'timelimit' (soft limit)"));
	}

	private static @Nullable List<String> stampedHeaders(@Nullable Object value) {
		List<Object> names = WireValues.list(value, "header 'stamped_headers'");
		if (names == null) {
			return null;
		}
		List<String> result = new ArrayList<>(names.size());
		for (Object name : names) {
			result.add(WireValues.requiredText(name, "name in header 'stamped_headers'"));
		}
		return result;
	}

	private static @Nullable String format(@Nullable Instant instant) {
		return (instant != null) ? CeleryTime.format(instant) : null;
	}

	/**
	 * Return a time limit as Python would write it: integral values as integers.
	 * @param seconds the time limit in seconds, or {@code null}
	 * @return the time limit, or {@code null}
	 */
	static @Nullable Number seconds(@Nullable Double seconds) {
		if (seconds == null) {
			return null;
		}
		double value = seconds;
		if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
			long integral = (long) value;
			return (integral == (int) integral) ? (Number) (int) integral : (Number) integral;
		}
		return value;
	}

	private static List<String> concat(List<String> names, String name) {
		List<String> all = new ArrayList<>(names);
		all.add(name);
		return all;
	}

}
