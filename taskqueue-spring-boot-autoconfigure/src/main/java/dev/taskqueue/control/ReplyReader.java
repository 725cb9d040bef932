package dev.taskqueue.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads the replies of nodes into typed values. Replies come from the network: a node's
 * reply that does not have the expected shape is left out with a warning, and the other
 * nodes' replies are kept.
 */
final class ReplyReader {

	private static final Log logger = LogFactory.getLog(ReplyReader.class);

	private ReplyReader() {
	}

	static <T> Map<String, T> byNode(String method, Map<String, @Nullable Object> replies,
			Function<@Nullable Object, T> reader) {
		Map<String, T> result = new LinkedHashMap<>();
		replies.forEach((node, value) -> {
			try {
				result.put(node, reader.apply(value));
			}
			catch (RuntimeException ex) {
				logger.warn("Reply of " + PidboxCodec.shorten(node) + " to '" + method + "' left out: "
						+ PidboxCodec.shorten(ex.getMessage()) + " (reply: " + PidboxCodec.shorten(String.valueOf(value))
						+ ")");
			}
		});
		return result;
	}

	static ControlReply controlReply(@Nullable Object value) {
		Map<String, @Nullable Object> map = map(value, "reply");
		Object ok = map.get("ok");
		Object error = map.get("error");
		if (ok == null && error == null) {
			throw new PidboxMessageException("neither 'ok' nor 'error' in the reply");
		}
		return new ControlReply((ok != null) ? String.valueOf(ok) : null, (error != null) ? String.valueOf(error) : null,
				map);
	}

	static String okText(@Nullable Object value) {
		ControlReply reply = controlReply(value);
		if (reply.ok() == null) {
			throw new PidboxMessageException("error " + reply.error());
		}
		return reply.ok();
	}

	static List<TaskInfo> taskInfos(@Nullable Object value) {
		return list(value, ReplyReader::taskInfo);
	}

	static TaskInfo taskInfo(@Nullable Object value) {
		Map<String, @Nullable Object> map = map(value, "request");
		Object deliveryInfo = map.get("delivery_info");
		return new TaskInfo(requiredText(map, "id"), text(map, "name"), text(map, "type"), map.get("args"),
				map.get("kwargs"), text(map, "hostname"), decimal(map, "time_start"),
				Boolean.TRUE.equals(map.get("acknowledged")), integer(map, "worker_pid"),
				(deliveryInfo != null) ? map(deliveryInfo, "delivery_info") : Map.of(), map);
	}

	static List<ScheduledTask> scheduled(@Nullable Object value) {
		return list(value, (item) -> {
			Map<String, @Nullable Object> map = map(item, "scheduled task");
			Long priority = integer(map, "priority");
			return new ScheduledTask(text(map, "eta"), (priority != null) ? priority.intValue() : null,
					taskInfo(map.get("request")), map);
		});
	}

	static List<ActiveQueue> activeQueues(@Nullable Object value) {
		return list(value, (item) -> {
			Map<String, @Nullable Object> map = map(item, "queue");
			Object exchange = map.get("exchange");
			Map<String, @Nullable Object> exchangeMap = (exchange instanceof Map<?, ?>) ? map(exchange, "exchange")
					: Map.of();
			return new ActiveQueue(requiredText(map, "name"),
					(exchange instanceof String name) ? name : text(exchangeMap, "name"), text(exchangeMap, "type"),
					text(map, "routing_key"), Boolean.TRUE.equals(map.get("durable")),
					Boolean.TRUE.equals(map.get("auto_delete")), Boolean.TRUE.equals(map.get("exclusive")), map);
		});
	}

	static Map<String, QueriedTask> queriedTasks(@Nullable Object value) {
		Map<String, QueriedTask> tasks = new LinkedHashMap<>();
		map(value, "query_task reply").forEach((id, item) -> {
			if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String state)) {
				throw new PidboxMessageException("task " + PidboxCodec.shorten(id) + " is not [state, request]");
			}
			tasks.put(id, new QueriedTask(state, taskInfo(pair.get(1))));
		});
		return tasks;
	}

	static WorkerStats stats(@Nullable Object value) {
		Map<String, @Nullable Object> map = map(value, "stats");
		Map<String, Long> total = new LinkedHashMap<>();
		Object totals = map.get("total");
		if (totals != null) {
			map(totals, "total").forEach((task, count) -> {
				if (count instanceof Number number) {
					total.put(task, number.longValue());
				}
			});
		}
		Object pool = map.get("pool");
		Object broker = map.get("broker");
		return new WorkerStats(total, integer(map, "pid"), integer(map, "clock"), integer(map, "uptime"),
				integer(map, "prefetch_count"), (pool instanceof Map<?, ?>) ? map(pool, "pool") : Map.of(),
				(broker instanceof Map<?, ?>) ? map(broker, "broker") : Map.of(), map);
	}

	static List<String> texts(@Nullable Object value) {
		return list(value, (item) -> {
			if (item instanceof String text) {
				return text;
			}
			throw new PidboxMessageException("expected strings, got " + PidboxCodec.shorten(String.valueOf(item)));
		});
	}

	static Long clock(@Nullable Object value) {
		Long clock = integer(map(value, "clock reply"), "clock");
		if (clock == null) {
			throw new PidboxMessageException("no 'clock' in the reply");
		}
		return clock;
	}

	@SuppressWarnings("unchecked")
	static Map<String, @Nullable Object> map(@Nullable Object value, String what) {
		if (value instanceof Map<?, ?> map) {
			// decoded JSON objects have string keys
			return (Map<String, @Nullable Object>) map;
		}
		throw new PidboxMessageException(what + " is not an object");
	}

	private static <T> List<T> list(@Nullable Object value, Function<@Nullable Object, T> reader) {
		if (!(value instanceof List<?> items)) {
			throw new PidboxMessageException("reply is not a list");
		}
		List<T> result = new ArrayList<>(items.size());
		for (Object item : items) {
			result.add(reader.apply(item));
		}
		return result;
	}

	private static String requiredText(Map<String, @Nullable Object> map, String key) {
		String text = text(map, key);
		if (text == null) {
			throw new PidboxMessageException("no '" + key + "'");
		}
		return text;
	}

	private static @Nullable String text(Map<String, @Nullable Object> map, String key) {
		Object value = map.get(key);
		return (value instanceof String text) ? text : null;
	}

	private static @Nullable Double decimal(Map<String, @Nullable Object> map, String key) {
		return (map.get(key) instanceof Number number) ? number.doubleValue() : null;
	}

	// Numbers, and numbers sent as text (the clock of stats)
	private static @Nullable Long integer(Map<String, @Nullable Object> map, String key) {
		Object value = map.get(key);
		if (value instanceof Number number) {
			return number.longValue();
		}
		if (value instanceof String text && !text.isEmpty() && text.length() < 19 && text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return Long.parseLong(text);
		}
		return null;
	}

}
