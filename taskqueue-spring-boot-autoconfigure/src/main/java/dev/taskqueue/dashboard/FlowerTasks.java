package dev.taskqueue.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.TaskQuery;
import dev.taskqueue.events.TaskQuery.SortBy;
import dev.taskqueue.events.TaskSnapshot;

/**
 * Flower's shapes of tasks: a {@link TaskSnapshot} as {@code celery.events.state.Task.as_dict()}
 * with the worker's hostname, times as epoch seconds, and the query parameters of
 * {@code GET /api/tasks} as a {@link TaskQuery}.
 */
final class FlowerTasks {

	private FlowerTasks() {
	}

	/**
	 * Return a task as Flower answers it, the fields in Celery's order; {@code clock} is not
	 * kept by the events' state here and is always {@code null}.
	 * @param task the task
	 * @param withNullWorker whether a {@code null} worker is kept ({@code /api/task/info}) or
	 * left out ({@code /api/tasks})
	 * @return the task's fields
	 */
	static Map<String, @Nullable Object> dict(TaskSnapshot task, boolean withNullWorker) {
		Map<String, @Nullable Object> dict = new LinkedHashMap<>();
		dict.put("uuid", task.uuid());
		dict.put("name", task.name());
		dict.put("state", task.state());
		dict.put("received", seconds(task.received()));
		dict.put("sent", seconds(task.sent()));
		dict.put("started", seconds(task.started()));
		dict.put("rejected", seconds(task.rejected()));
		dict.put("succeeded", seconds(task.succeeded()));
		dict.put("failed", seconds(task.failed()));
		dict.put("retried", seconds(task.retried()));
		dict.put("revoked", seconds(task.revoked()));
		dict.put("args", task.args());
		dict.put("kwargs", task.kwargs());
		dict.put("eta", task.eta());
		dict.put("expires", task.expires());
		dict.put("retries", task.retries());
		if (task.worker() != null || withNullWorker) {
			dict.put("worker", task.worker());
		}
		dict.put("result", task.result());
		dict.put("exception", task.exception());
		dict.put("timestamp", seconds(task.timestamp()));
		dict.put("runtime", task.runtime());
		dict.put("traceback", task.traceback());
		dict.put("exchange", task.exchange());
		dict.put("routing_key", task.routingKey());
		dict.put("clock", null);
		dict.put("client", task.client());
		dict.put("root", task.rootId());
		dict.put("root_id", task.rootId());
		dict.put("parent", task.parentId());
		dict.put("parent_id", task.parentId());
		dict.put("children", List.of());
		return dict;
	}

	// epoch seconds with a fraction, as Celery's event times
	private static @Nullable Double seconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() + instant.getNano() / 1e9 : null;
	}

	/**
	 * Return the query of Flower's task list: {@code All} matches every worker, name or state,
	 * and with no {@code sort_by} the newest received come first.
	 * @param limit the page size, {@code null} for every task
	 * @param offset the tasks skipped, negative read as 0 as Flower does
	 * @param worker the worker's hostname
	 * @param name the task name
	 * @param state the state
	 * @param receivedStart {@code %Y-%m-%d %H:%M} (UTC)
	 * @param receivedEnd {@code %Y-%m-%d %H:%M} (UTC)
	 * @param sortBy {@code name}, {@code state}, {@code received} or {@code started}, with a
	 * leading {@code -} for descending
	 * @return the query
	 * @throws IllegalArgumentException for a bad value
	 */
	static TaskQuery query(@Nullable Integer limit, int offset, @Nullable String worker, @Nullable String name,
			@Nullable String state, @Nullable String receivedStart, @Nullable String receivedEnd,
			@Nullable String sortBy) {
		if (limit != null && limit < 0) {
			throw new IllegalArgumentException("'limit' must not be negative");
		}
		TaskQuery query = TaskQuery.all()
			.page((limit != null) ? limit : Integer.MAX_VALUE, Math.max(offset, 0))
			.filter(all(worker), all(name), all(state))
			.receivedBetween(DateParameters.parse("received_start", receivedStart),
				DateParameters.parse("received_end", receivedEnd));
		if (sortBy != null && !sortBy.isEmpty()) {
			boolean descending = sortBy.startsWith("-");
			String key = descending ? sortBy.substring(1) : sortBy;
			SortBy order = switch (key) {
				case "name" -> SortBy.NAME;
				case "state" -> SortBy.STATE;
				case "received" -> SortBy.RECEIVED;
				case "started" -> SortBy.STARTED;
				default -> throw new IllegalArgumentException("'sort_by' must be one of name, state, received, "
						+ "started, with a leading '-' for descending, not '" + sortBy + "'");
			};
			query = query.sorted(order, descending);
		}
		return query;
	}

	// Flower's "All" (or nothing) matches every value
	private static @Nullable String all(@Nullable String value) {
		return (value == null || value.isEmpty() || value.equals("All")) ? null : value;
	}

}
