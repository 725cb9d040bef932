package dev.taskqueue.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.worker.TaskEndpoint;
import dev.taskqueue.worker.TaskSettings;
import dev.taskqueue.worker.WorkerControl;
import dev.taskqueue.worker.WorkerRequest;

/**
 * The inspect commands about tasks: {@code active}, {@code reserved}, {@code scheduled},
 * {@code query_task} and {@code registered}, as Celery 5.2's handlers answer them.
 */
final class TaskInspection {

	/** Celery's default {@code taskinfoitems}. */
	private static final List<String> DEFAULT_INFO_ITEMS = List.of("exchange", "routing_key", "rate_limit");

	private final WorkerControl worker;

	TaskInspection(WorkerControl worker) {
		this.worker = worker;
	}

	void registerIn(Map<String, ControlCommand> commands) {
		commands.put("active", (arguments) -> list(WorkerRequest.Stage.ACTIVE, safe("active", arguments)));
		commands.put("reserved", (arguments) -> list(WorkerRequest.Stage.RESERVED, safe("reserved", arguments)));
		commands.put("scheduled", this::scheduled);
		commands.put("query_task", this::queryTask);
		commands.put("registered", this::registered);
	}

	private static boolean safe(String method, Map<String, @Nullable Object> arguments) {
		return new Arguments(method, arguments).bool("safe", false);
	}

	private List<Map<String, @Nullable Object>> list(WorkerRequest.Stage stage, boolean safe) {
		List<Map<String, @Nullable Object>> infos = new ArrayList<>();
		for (WorkerRequest request : this.worker.requests()) {
			if (request.stage() == stage) {
				infos.add(RequestInfo.of(request, this.worker.hostname(), safe));
			}
		}
		return infos;
	}

	private List<Map<String, @Nullable Object>> scheduled(Map<String, @Nullable Object> arguments) {
		boolean safe = safe("scheduled", arguments);
		return this.worker.requests()
			.stream()
			.filter((request) -> request.stage() == WorkerRequest.Stage.SCHEDULED && request.eta() != null)
			.sorted(Comparator.comparing(WorkerRequest::eta))
			.map((request) -> RequestInfo.scheduled(request, this.worker.hostname(), safe))
			.toList();
	}

	// Celery's {@code query_task}: {@code active} or {@code reserved} and the request-info of
	// each id this worker holds; a task held for its ETA counts as reserved.
	private Map<String, Object> queryTask(Map<String, @Nullable Object> arguments) {
		List<String> ids = new Arguments("query_task", arguments).strings("ids");
		Map<String, Object> found = new LinkedHashMap<>();
		for (WorkerRequest request : this.worker.requests()) {
			if (ids.contains(request.id()) && !found.containsKey(request.id())) {
				String stage = (request.stage() == WorkerRequest.Stage.ACTIVE) ? "active" : "reserved";
				found.put(request.id(), List.of(stage, RequestInfo.of(request, this.worker.hostname(), false)));
			}
		}
		return found;
	}

	private List<String> registered(Map<String, @Nullable Object> arguments) {
		Arguments args = new Arguments("registered", arguments);
		List<String> items = args.strings("taskinfoitems");
		if (items.isEmpty()) {
			items = DEFAULT_INFO_ITEMS;
		}
		boolean builtins = args.bool("builtins", false);
		List<String> lines = new ArrayList<>();
		for (TaskEndpoint task : this.worker.tasks(builtins)) {
			if (builtins || !task.name().startsWith("celery.")) {
				lines.add(describe(task, items));
			}
		}
		lines.sort(Comparator.naturalOrder());
		return lines;
	}

	private static String describe(TaskEndpoint task, List<String> items) {
		List<String> fields = new ArrayList<>();
		for (String item : items) {
			String value = attribute(task, item);
			if (value != null) {
				fields.add(item + "=" + value);
			}
		}
		return fields.isEmpty() ? task.name() : task.name() + " [" + String.join(" ", fields) + "]";
	}

	// Return a task attribute as Python's {@code str()} writes it, or {@code null} when it is
	// {@code None} or unknown.
	private static @Nullable String attribute(TaskEndpoint task, String item) {
		TaskSettings settings = task.settings();
		return switch (item) {
			case "name" -> task.name();
			case "queue" -> task.queue();
			case "rate_limit" -> (settings.rateLimit() != null) ? settings.rateLimit().toString() : null;
			case "time_limit" -> seconds(settings.timeLimit());
			case "soft_time_limit" -> seconds(settings.softTimeLimit());
			case "ignore_result" -> python(settings.ignoreResult());
			case "track_started" -> python(settings.trackStarted());
			case "acks_late" -> python(settings.acksLate());
			case "reject_on_worker_lost" -> python(settings.rejectOnWorkerLost());
			case "max_retries" -> (settings.retry().maxRetries() >= 0)
					? Integer.toString(settings.retry().maxRetries()) : null;
			default -> null;
		};
	}

	static @Nullable String seconds(@Nullable Duration limit) {
		if (limit == null) {
			return null;
		}
		return (limit.getNano() == 0) ? Long.toString(limit.getSeconds())
				: Double.toString(limit.toNanos() / 1e9);
	}

	private static String python(boolean value) {
		return value ? "True" : "False";
	}

}
