package dev.taskqueue.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.control.ControlReply;

/**
 * The dashboard's actions, POSTed under {@code <path>/actions}, each done by
 * {@link DashboardActions} (refused in read-only mode, audited): revoke a task, set a task
 * type's rate limit, pause or resume consuming a queue, requeue a dead letter, send a task.
 */
@DashboardPages
@RestController
final class DashboardActionsController {

	private final DashboardActions actions;

	DashboardActionsController(DashboardActions actions) {
		this.actions = actions;
	}

	@PostMapping("/actions/tasks/{id}/revoke")
	Map<String, Object> revoke(@PathVariable String id, @RequestParam(defaultValue = "false") boolean terminate,
			HttpServletRequest request) {
		this.actions.revoke(Requester.of(request), id, terminate);
		return Map.of("task_id", id, "revoked", true, "terminate", terminate);
	}

	@PostMapping("/actions/task-types/{name}/rate-limit")
	Map<String, Object> rateLimit(@PathVariable String name,
			@RequestParam(name = "rate_limit", required = false) @Nullable String rateLimit,
			HttpServletRequest request) {
		Map<String, ControlReply> replies = this.actions.rateLimit(Requester.of(request), name, rateLimit);
		Map<String, Object> answers = new LinkedHashMap<>();
		replies.forEach((node, reply) -> answers.put(node, reply.isOk() ? "ok" : "error: " + reply.error()));
		return Map.of("task", name, "workers", answers);
	}

	@PostMapping("/actions/queues/{queue}/pause")
	Map<String, Object> pause(@PathVariable String queue, HttpServletRequest request) {
		return Map.of("queue", queue, "workers", this.actions.consume(Requester.of(request), queue, false));
	}

	@PostMapping("/actions/queues/{queue}/resume")
	Map<String, Object> resume(@PathVariable String queue, HttpServletRequest request) {
		return Map.of("queue", queue, "workers", this.actions.consume(Requester.of(request), queue, true));
	}

	@PostMapping("/actions/queues/{queue}/dead-letters/{taskId}/requeue")
	Map<String, Object> requeue(@PathVariable String queue, @PathVariable String taskId,
			HttpServletRequest request) {
		this.actions.requeue(Requester.of(request), queue, taskId);
		return Map.of("queue", queue, "task_id", taskId, "requeued", true);
	}

	@PostMapping("/actions/send")
	Map<String, Object> send(@RequestBody Map<String, Object> body, HttpServletRequest request) {
		if (!(body.get("task") instanceof String task) || task.isBlank()) {
			throw new IllegalArgumentException("'task' must name the task to send");
		}
		Object args = body.getOrDefault("args", List.of());
		Object kwargs = body.getOrDefault("kwargs", Map.of());
		Object options = body.getOrDefault("options", Map.of());
		if (!(args instanceof List<?> list)) {
			throw new IllegalArgumentException("'args' must be a JSON array");
		}
		if (!(kwargs instanceof Map<?, ?> keywords) || !(options instanceof Map<?, ?> settings)) {
			throw new IllegalArgumentException("'kwargs' and 'options' must be JSON objects");
		}
		String id = this.actions.send(Requester.of(request), task.strip(), list, strings(keywords), strings(settings))
			.id();
		return Map.of("task_id", id, "task", task.strip());
	}

	// JSON object keys are strings
	@SuppressWarnings("unchecked")
	private static Map<String, ?> strings(Map<?, ?> map) {
		return (Map<String, ?>) map;
	}

}
