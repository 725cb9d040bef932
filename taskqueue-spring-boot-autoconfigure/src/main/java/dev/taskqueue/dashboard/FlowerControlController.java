package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.TaskQueueControl;

/**
 * Flower's control API: {@code POST /api/task/revoke/{id}}, {@code /api/task/rate-limit/{name}},
 * {@code /api/task/timeout/{name}}, {@code /api/worker/pool/grow|shrink|autoscale|restart/{worker}},
 * {@code /api/worker/queue/add-consumer|cancel-consumer/{worker}} and
 * {@code /api/worker/shutdown/{worker}}. Each goes through {@link DashboardActions}: refused in
 * read-only mode, audited. A worker that does not reply is unknown (404); a worker that
 * replies with an error refuses (403), as Flower answers.
 */
@FlowerApi
@RestController
final class FlowerControlController {

	private static final Duration SHUTDOWN_REPLY = Duration.ofMillis(100);

	private final DashboardActions actions;

	private final FlowerTaskNames names;

	FlowerControlController(DashboardActions actions, FlowerTaskNames names) {
		this.actions = actions;
		this.names = names;
	}

	@PostMapping("/task/revoke/{id}")
	Map<String, String> revoke(@PathVariable String id, @RequestParam(defaultValue = "false") boolean terminate,
			@RequestParam(defaultValue = "SIGTERM") String signal, HttpServletRequest request) {
		if (!signal.equals("SIGTERM") && !signal.equals("TERM") && !signal.equals("15")) {
			throw new IllegalArgumentException("Only SIGTERM is supported: a terminated task is interrupted "
					+ "where it runs, not sent '" + signal + "'");
		}
		this.actions.revoke(Requester.of(request), id, terminate);
		return Map.of("message", "Revoked '" + id + "'");
	}

	@PostMapping("/task/rate-limit/{name}")
	ResponseEntity<Map<String, String>> rateLimit(@PathVariable String name, @RequestParam String ratelimit,
			@RequestParam(required = false) @Nullable String workername, HttpServletRequest request) {
		knownTask(name);
		return answer(workername, "Failed to set rate limit", this.actions.command(Requester.of(request),
				"set the rate limit of " + name + " to " + ratelimit, workername,
				(control) -> control.rateLimit(name, ratelimit)), null);
	}

	@PostMapping("/task/timeout/{name}")
	ResponseEntity<Map<String, String>> timeout(@PathVariable String name,
			@RequestParam(required = false) @Nullable Double soft, @RequestParam(required = false) @Nullable Double hard,
			@RequestParam(required = false) @Nullable String workername, HttpServletRequest request) {
		knownTask(name);
		return answer(workername, "Failed to set timeouts", this.actions.command(Requester.of(request),
				"set the time limits of " + name + " to soft=" + soft + " hard=" + hard, workername,
				(control) -> control.timeLimit(name, soft, hard)), null);
	}

	@PostMapping("/worker/pool/grow/{worker}")
	ResponseEntity<Map<String, String>> grow(@PathVariable String worker, @RequestParam(defaultValue = "1") int n,
			HttpServletRequest request) {
		return onWorker(worker, "grow the pool by " + n, (control) -> control.poolGrow(n),
				"Failed to grow '" + worker + "' worker's pool", "Growing '" + worker + "' worker's pool by " + n,
				request);
	}

	@PostMapping("/worker/pool/shrink/{worker}")
	ResponseEntity<Map<String, String>> shrink(@PathVariable String worker, @RequestParam(defaultValue = "1") int n,
			HttpServletRequest request) {
		return onWorker(worker, "shrink the pool by " + n, (control) -> control.poolShrink(n),
				"Failed to shrink '" + worker + "' worker's pool",
				"Shrinking '" + worker + "' worker's pool by " + n, request);
	}

	@PostMapping("/worker/pool/autoscale/{worker}")
	ResponseEntity<Map<String, String>> autoscale(@PathVariable String worker, @RequestParam int min,
			@RequestParam int max, HttpServletRequest request) {
		return onWorker(worker, "autoscale the pool to min=" + min + " max=" + max,
				(control) -> control.autoscale(max, min), "Failed to autoscale '" + worker + "' worker",
				"Autoscaling '" + worker + "' worker (min=" + min + ", max=" + max + ")", request);
	}

	@PostMapping("/worker/pool/restart/{worker}")
	ResponseEntity<Map<String, String>> restart(@PathVariable String worker, HttpServletRequest request) {
		return onWorker(worker, "restart the pool", (control) -> replies(control.broadcast("pool_restart",
				Map.of("reload", false), true, TaskQueueControl.DEFAULT_TIMEOUT, null)),
				"Failed to restart the '" + worker + "' pool", "Restarting '" + worker + "' worker's pool", request);
	}

	@PostMapping("/worker/queue/add-consumer/{worker}")
	ResponseEntity<Map<String, String>> addConsumer(@PathVariable String worker, @RequestParam String queue,
			HttpServletRequest request) {
		return onWorker(worker, "consume " + queue, (control) -> control.addConsumer(queue),
				"Failed to add '" + queue + "' consumer to '" + worker + "' worker", null, request);
	}

	@PostMapping("/worker/queue/cancel-consumer/{worker}")
	ResponseEntity<Map<String, String>> cancelConsumer(@PathVariable String worker, @RequestParam String queue,
			HttpServletRequest request) {
		return onWorker(worker, "stop consuming " + queue, (control) -> control.cancelConsumer(queue),
				"Failed to cancel '" + queue + "' consumer from '" + worker + "' worker", null, request);
	}

	@PostMapping("/worker/shutdown/{worker}")
	Map<String, String> shutdown(@PathVariable String worker, HttpServletRequest request) {
		this.actions.command(Requester.of(request), "shut down", worker, (control) -> {
			if (control.inspect(Duration.ofSeconds(1)).ping().isEmpty()) {
				throw new UnknownItemException("Unknown worker '" + worker + "'");
			}
			control.timeout(SHUTDOWN_REPLY).shutdownWorkers();
			return Map.of();
		});
		return Map.of("message", "Shutting down!");
	}

	private ResponseEntity<Map<String, String>> onWorker(String worker, String what,
			Function<TaskQueueControl, Map<String, ControlReply>> command, String failure, @Nullable String success,
			HttpServletRequest request) {
		return answer(worker, failure, this.actions.command(Requester.of(request), what, worker, command), success);
	}

	// Flower's answer: the named worker's (or the first) reply's ok text, or its error with 403
	private static ResponseEntity<Map<String, String>> answer(@Nullable String worker, String failure,
			Map<String, ControlReply> replies, @Nullable String success) {
		if (worker != null && !replies.containsKey(worker)) {
			throw new UnknownItemException("Unknown worker '" + worker + "'");
		}
		List<ControlReply> answered = (worker != null) ? List.of(replies.get(worker)) : List.copyOf(replies.values());
		ControlReply failed = answered.stream().filter((reply) -> !reply.isOk()).findFirst().orElse(null);
		if (answered.isEmpty() || failed != null) {
			String reason = (failed != null) ? failed.error() : "no worker replied";
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", failure + ": '" + reason + "'"));
		}
		String ok = answered.get(0).ok();
		return ResponseEntity.ok(Map.of("message", (success != null) ? success : String.valueOf(ok)));
	}

	// the raw replies of a command TaskQueueControl has no method for
	private static Map<String, ControlReply> replies(Map<String, @Nullable Object> raw) {
		Map<String, ControlReply> replies = new LinkedHashMap<>();
		raw.forEach((node, reply) -> {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			if (reply instanceof Map<?, ?> map) {
				map.forEach((key, value) -> fields.put(String.valueOf(key), value));
			}
			Object ok = fields.get("ok");
			Object error = fields.get("error");
			replies.put(node, new ControlReply((ok != null) ? String.valueOf(ok) : null,
					(error != null) ? String.valueOf(error) : (ok != null) ? null : "Unknown reason", fields));
		});
		return replies;
	}

	// Flower answers 404 for a task name no worker knows
	private void knownTask(String name) {
		if (!this.names.known(name)) {
			throw new UnknownItemException("Unknown task '" + name + "'");
		}
	}

}
