package dev.taskqueue.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

/**
 * The write operations of {@link TaskQueueEndpoint}: revoke a task, set a task type's rate
 * limit on every worker, pause or resume consuming a queue here. Each is logged with what it
 * did; what a request names that cannot be done is a 400 with the reason.
 */
final class FleetActions {

	private static final Log logger = LogFactory.getLog(FleetActions.class);

	private final @Nullable TaskQueueControl control;

	private final @Nullable TaskOperations tasks;

	private final @Nullable WorkerContainer worker;

	FleetActions(@Nullable TaskQueueControl control, @Nullable TaskOperations tasks, @Nullable WorkerContainer worker) {
		this.control = control;
		this.tasks = tasks;
		this.worker = worker;
	}

	Map<String, Object> act(String section, String name, @Nullable Boolean terminate, @Nullable String rateLimit,
			@Nullable String action) {
		return switch (section) {
			case "tasks" -> revoke(name, Boolean.TRUE.equals(terminate));
			case "task-types" -> rateLimit(name, rateLimit);
			case "queues" -> consume(name, action);
			default -> throw invalid("No section '" + section + "': tasks/<id>, task-types/<name> or queues/<name>");
		};
	}

	private Map<String, Object> revoke(String id, boolean terminate) {
		if (this.tasks == null) {
			throw invalid("This application cannot revoke tasks: it has no task template");
		}
		this.tasks.revoke(id, terminate);
		logger.info("Actuator: revoked task " + id + (terminate ? " (terminate)" : ""));
		return result("revoked", id, "terminate", terminate);
	}

	private Map<String, Object> rateLimit(String task, @Nullable String rateLimit) {
		if (this.control == null) {
			throw invalid("Remote control is off (taskqueue.control.enabled): rate limits cannot be set");
		}
		Map<String, ControlReply> replies = this.control.rateLimit(task,
				(rateLimit == null || rateLimit.isEmpty()) ? null : rateLimit);
		logger.info("Actuator: rate limit of " + task + " set to " + rateLimit + " on " + replies.keySet());
		Map<String, Object> byNode = new LinkedHashMap<>();
		replies.forEach((node, reply) -> byNode.put(node, reply.isOk() ? reply.ok() : "error: " + reply.error()));
		return result("task", task, "replies", byNode);
	}

	private Map<String, Object> consume(String queue, @Nullable String action) {
		if (this.worker == null) {
			throw invalid("This application runs no worker");
		}
		boolean changed;
		if ("pause".equals(action)) {
			changed = this.worker.control().cancelQueue(queue);
		}
		else if ("resume".equals(action)) {
			changed = this.worker.control().addQueue(queue);
		}
		else {
			throw invalid("action must be pause or resume, not " + action);
		}
		logger.info("Actuator: " + action + " consuming " + queue + (changed ? "" : " (nothing to do)"));
		return result("queue", queue, "action", action, "changed", changed);
	}

	private static Map<String, Object> result(Object... pairs) {
		Map<String, Object> result = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			result.put((String) pairs[i], pairs[i + 1]);
		}
		return result;
	}

	private static InvalidEndpointRequestException invalid(String reason) {
		return new InvalidEndpointRequestException(reason, reason);
	}

}
