package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.control.ActiveQueue;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.TaskSnapshot;
import dev.taskqueue.worker.WorkerContainer;

/**
 * Flower's task API, read-only part: {@code GET /api/tasks}, {@code /api/task/info/{id}},
 * {@code /api/task/result/{id}}, {@code /api/task/types} and {@code /api/queues/length}.
 * Tasks come from the fleet's events; results from the result backend.
 */
@FlowerApi
@RestController
final class FlowerTaskController {

	private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(1);

	private final @Nullable ClusterState events;

	private final FlowerResults results;

	private final @Nullable TaskQueueControl control;

	private final @Nullable BrokerAdmin admin;

	private final @Nullable WorkerContainer worker;

	FlowerTaskController(@Nullable ClusterState events, FlowerResults results, @Nullable TaskQueueControl control,
			@Nullable BrokerAdmin admin, @Nullable WorkerContainer worker) {
		this.events = events;
		this.results = results;
		this.control = control;
		this.admin = admin;
		this.worker = worker;
	}

	@GetMapping("/tasks")
	Map<String, Map<String, @Nullable Object>> tasks(@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) @Nullable String workername,
			@RequestParam(required = false) @Nullable String taskname,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(name = "received_start", required = false) @Nullable String receivedStart,
			@RequestParam(name = "received_end", required = false) @Nullable String receivedEnd,
			@RequestParam(name = "sort_by", required = false) @Nullable String sortBy,
			@RequestParam(required = false) @Nullable String search) {
		if (search != null && !search.isBlank()) {
			throw new IllegalArgumentException("'search' is not supported: filter with workername, taskname, "
					+ "state, received_start and received_end");
		}
		List<TaskSnapshot> page = events().tasks(FlowerTasks.query(limit, offset, workername, taskname, state,
				receivedStart, receivedEnd, sortBy));
		Map<String, Map<String, @Nullable Object>> answer = new LinkedHashMap<>();
		page.forEach((task) -> answer.put(task.uuid(), FlowerTasks.dict(task, false)));
		return answer;
	}

	@GetMapping("/task/info/{id}")
	Map<String, @Nullable Object> info(@PathVariable String id) {
		TaskSnapshot task = events().task(id)
			.orElseThrow(() -> new UnknownItemException("Unknown task '" + id + "'"));
		return FlowerTasks.dict(task, true);
	}

	@GetMapping("/task/result/{id}")
	Map<String, @Nullable Object> result(@PathVariable String id,
			@RequestParam(required = false) @Nullable Double timeout) {
		if (timeout != null && (timeout.isNaN() || timeout < 0 || timeout > 3600)) {
			throw new IllegalArgumentException("'timeout' must be seconds between 0 and 3600, not " + timeout);
		}
		Duration wait = (timeout != null && timeout > 0) ? Duration.ofMillis(Math.round(timeout * 1000)) : null;
		return this.results.read(id, wait);
	}

	@GetMapping("/task/types")
	Map<String, Set<String>> types() {
		return Map.of("task-types", events().taskTypes());
	}

	@GetMapping("/queues/length")
	Map<String, List<Map<String, Object>>> queueLengths() {
		if (this.admin == null) {
			throw new FlowerUnavailableException("This broker cannot tell the length of its queues");
		}
		Set<String> names = new TreeSet<>();
		if (this.control != null) {
			this.control.inspect(INSPECT_TIMEOUT).activeQueues().values()
				.forEach((queues) -> queues.stream().map(ActiveQueue::name).forEach(names::add));
		}
		if (this.worker != null) {
			names.addAll(this.worker.control().queues());
		}
		BrokerAdmin admin = this.admin;
		return Map.of("active_queues",
				names.stream().map((name) -> Map.<String, Object>of("name", name, "messages", admin.size(name)))
					.toList());
	}

	// the tasks and workers the events show; 503 when they are not received
	private ClusterState events() {
		if (this.events == null) {
			throw new FlowerUnavailableException("The fleet's events are not received: the broker carries no "
					+ "broadcasts, or taskqueue.events.receive and taskqueue.dashboard.enabled are off");
		}
		return this.events;
	}

}
