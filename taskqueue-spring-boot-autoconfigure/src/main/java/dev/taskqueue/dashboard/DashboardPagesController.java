package dev.taskqueue.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.taskqueue.events.ClusterState;

/**
 * The dashboard's single page and the JSON data its views read, under
 * {@link DashboardSettings#path()}: {@code data/settings}, {@code data/workers},
 * {@code data/tasks}, {@code data/tasks/<id>}, {@code data/task-types}, {@code data/queues},
 * {@code data/queues/<name>/dead-letters} and {@code data/charts}; and the live updates,
 * {@code stream} for the lists and {@code stream/tasks/<id>} for a task.
 */
@DashboardPages
@RestController
final class DashboardPagesController {

	static final String RESOURCES = "META-INF/taskqueue/dashboard/";

	private final DashboardSettings settings;

	private final FleetData fleet;

	private final TaskData tasks;

	private final TaskHistory history;

	private final LiveUpdates updates;

	private final @Nullable ClusterState state;

	DashboardPagesController(DashboardSettings settings, FleetData fleet, TaskData tasks, TaskHistory history,
			LiveUpdates updates, @Nullable ClusterState state) {
		this.settings = settings;
		this.fleet = fleet;
		this.tasks = tasks;
		this.history = history;
		this.updates = updates;
		this.state = state;
	}

	@GetMapping("/")
	ResponseEntity<Resource> index() {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_HTML)
			.cacheControl(CacheControl.noCache())
			.body(new ClassPathResource(RESOURCES + "index.html"));
	}

	@GetMapping("/data/settings")
	Map<String, Object> settings() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("readOnly", this.settings.readOnly());
		settings.put("path", this.settings.path());
		settings.put("apiPath", this.settings.apiPath());
		settings.put("events", this.state != null);
		return settings;
	}

	@GetMapping("/data/workers")
	List<FleetData.WorkerRow> workers() {
		return this.fleet.workers();
	}

	@GetMapping("/data/tasks")
	List<TaskData.TaskRow> tasks(@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String taskname,
			@RequestParam(required = false) @Nullable String workername,
			@RequestParam(name = "received_start", required = false) @Nullable String receivedStart,
			@RequestParam(name = "received_end", required = false) @Nullable String receivedEnd,
			@RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
		return this.tasks.tasks(state, taskname, workername, receivedStart, receivedEnd, limit, offset);
	}

	@GetMapping("/data/tasks/{id}")
	TaskData.TaskDetail task(@PathVariable String id) {
		return this.tasks.detail(id, null);
	}

	@GetMapping("/data/task-types")
	List<String> taskTypes() {
		return (this.state != null) ? List.copyOf(this.state.taskTypes()) : List.of();
	}

	@GetMapping("/data/queues")
	List<FleetData.QueueRow> queues() {
		return this.fleet.queues();
	}

	@GetMapping("/data/queues/{queue}/dead-letters")
	List<FleetData.DeadLetterRow> deadLetters(@PathVariable String queue,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1000) {
			throw new IllegalArgumentException("'limit' must be within 1 and 1000");
		}
		return this.fleet.deadLetters(queue, limit);
	}

	@GetMapping("/data/charts")
	Map<String, Object> charts() {
		return Map.of("minutes", this.history.lastHour());
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		return this.updates.lists();
	}

	@GetMapping(path = "/stream/tasks/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter taskStream(@PathVariable String id) {
		return this.updates.task(id);
	}

}
