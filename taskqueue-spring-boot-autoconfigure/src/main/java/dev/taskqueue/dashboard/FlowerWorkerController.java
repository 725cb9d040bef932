package dev.taskqueue.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.WorkerSnapshot;

/**
 * Flower's {@code GET /api/workers}: the workers' replies to Flower's eight inspect commands
 * ({@code refresh} asks again, {@code workername} picks one), or with {@code status} whether
 * each worker is alive by its heartbeats. Without remote control, the workers the events
 * show, with their heartbeat's fields.
 */
@FlowerApi
@RestController
final class FlowerWorkerController {

	private final @Nullable FlowerWorkers workers;

	private final @Nullable ClusterState events;

	FlowerWorkerController(@Nullable FlowerWorkers workers, @Nullable ClusterState events) {
		this.workers = workers;
		this.events = events;
	}

	@GetMapping("/workers")
	Map<String, ?> workers(@RequestParam(defaultValue = "false") boolean refresh,
			@RequestParam(required = false) @Nullable String workername,
			@RequestParam(defaultValue = "false") boolean status) {
		String name = (workername == null || workername.isBlank()) ? null : workername;
		if (status) {
			Map<String, Boolean> alive = new TreeMap<>();
			heard().values().forEach((worker) -> alive.put(worker.hostname(), worker.alive()));
			if (this.workers != null && alive.isEmpty()) {
				this.workers.workers(null, refresh).keySet().forEach((worker) -> alive.put(worker, true));
			}
			return alive;
		}
		Map<String, ?> answer = (this.workers != null) ? this.workers.workers(name, refresh) : fromEvents(name);
		if (name != null && !answer.containsKey(name)) {
			throw new UnknownItemException("Unknown worker '" + name + "'");
		}
		return answer;
	}

	// the workers the events show, by hostname
	private Map<String, WorkerSnapshot> heard() {
		Map<String, WorkerSnapshot> heard = new TreeMap<>();
		if (this.events != null) {
			this.events.workers().forEach((worker) -> heard.put(worker.hostname(), worker));
		}
		return heard;
	}

	// without remote control: what the heartbeats tell, in Celery's field names
	private Map<String, Map<String, @Nullable Object>> fromEvents(@Nullable String name) {
		if (this.events == null) {
			throw new FlowerUnavailableException("Neither remote control nor the fleet's events are available");
		}
		Map<String, Map<String, @Nullable Object>> answer = new TreeMap<>();
		heard().forEach((hostname, worker) -> {
			if (name == null || name.equals(hostname)) {
				Map<String, @Nullable Object> info = new LinkedHashMap<>();
				info.put("hostname", hostname);
				info.put("alive", worker.alive());
				info.put("pid", worker.pid());
				info.put("freq", worker.freq());
				info.put("active", worker.active());
				info.put("processed", worker.processed());
				info.put("loadavg", worker.loadavg());
				info.put("sw_ident", worker.swIdent());
				info.put("sw_ver", worker.swVer());
				info.put("sw_sys", worker.swSys());
				info.put("timestamp", (worker.lastHeartbeat() != null)
						? worker.lastHeartbeat().toEpochMilli() / 1000.0 : null);
				answer.put(hostname, info);
			}
		});
		return answer;
	}

}
