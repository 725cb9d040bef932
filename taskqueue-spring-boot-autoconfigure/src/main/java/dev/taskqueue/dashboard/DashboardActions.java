package dev.taskqueue.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskRequest;
import dev.taskqueue.worker.WorkerContainer;

/**
 * What the dashboard and the REST API change: send a task, revoke or terminate one, set a
 * task type's rate limit, pause or resume consuming a queue, requeue a dead letter. In
 * read-only mode each is refused; otherwise each is logged (category
 * {@code dev.taskqueue.dashboard.audit}) with who asked and what, without the task's
 * arguments.
 */
final class DashboardActions {

	private static final Log audit = LogFactory.getLog("dev.taskqueue.dashboard.audit");

	private final TaskOperations tasks;

	private final @Nullable TaskQueueControl control;

	private final @Nullable BrokerAdmin admin;

	private final @Nullable WorkerContainer worker;

	private final boolean readOnly;

	DashboardActions(TaskOperations tasks, @Nullable TaskQueueControl control, @Nullable BrokerAdmin admin,
			@Nullable WorkerContainer worker, boolean readOnly) {
		this.tasks = tasks;
		this.control = control;
		this.admin = admin;
		this.worker = worker;
		this.readOnly = readOnly;
	}

	// whether every action is refused
	boolean readOnly() {
		return this.readOnly;
	}

	AsyncResult<Object> send(Requester who, String name, List<?> args, Map<String, ?> kwargs,
			Map<String, ?> options) {
		allowed(who, "send " + name);
		TaskRequest request = this.tasks.task(name).args(args).kwargs(kwargs);
		SendOptions.apply(request, options);
		AsyncResult<Object> result = request.send();
		audit.info(who + " sent " + name + "[" + result.id() + "] with options " + options.keySet());
		return result;
	}

	void revoke(Requester who, String taskId, boolean terminate) {
		allowed(who, "revoke " + taskId);
		this.tasks.revoke(taskId, terminate);
		audit.info(who + " revoked " + taskId + (terminate ? " (terminate)" : ""));
	}

	Map<String, ControlReply> rateLimit(Requester who, String taskName, @Nullable String rateLimit) {
		allowed(who, "rate-limit " + taskName);
		Map<String, ControlReply> replies = control().rateLimit(taskName,
				(rateLimit == null || rateLimit.isBlank()) ? null : rateLimit);
		audit.info(who + " set the rate limit of " + taskName + " to " + rateLimit + " on " + replies.keySet());
		return replies;
	}

	// a remote control command on one worker, or on every worker when none is named; what
	// describes it in the audit log, as "set the rate limit of tasks.add to 10/m"
	Map<String, ControlReply> command(Requester who, String what, @Nullable String workerName,
			Function<TaskQueueControl, Map<String, ControlReply>> command) {
		allowed(who, what);
		TaskQueueControl target = (workerName != null) ? control().destination(workerName) : control();
		Map<String, ControlReply> replies = command.apply(target);
		audit.info(who + " asked to " + what + " on " + ((workerName != null) ? workerName : "every worker")
				+ ": replies from " + replies.keySet());
		return replies;
	}

	// on every worker that answers remote control, or on this application's worker when remote
	// control is off; answers ok or error: <reason> by worker
	Map<String, String> consume(Requester who, String queue, boolean resume) {
		String action = resume ? "resume" : "pause";
		allowed(who, action + " " + queue);
		Map<String, String> answers = new LinkedHashMap<>();
		if (this.control != null) {
			Map<String, ControlReply> replies = resume ? this.control.addConsumer(queue)
					: this.control.cancelConsumer(queue);
			replies.forEach((node, reply) -> answers.put(node, reply.isOk() ? "ok" : "error: " + reply.error()));
		}
		else if (this.worker != null) {
			boolean changed = resume ? this.worker.control().addQueue(queue) : this.worker.control().cancelQueue(queue);
			answers.put(this.worker.hostname(), changed ? "ok" : "error: nothing to do");
		}
		else {
			throw new ActionRefusedException("Remote control is off and this application runs no worker");
		}
		audit.info(who + " asked to " + action + " consuming " + queue + ": " + answers);
		return answers;
	}

	boolean requeue(Requester who, String queue, String taskId) {
		allowed(who, "requeue " + taskId + " on " + queue);
		if (this.admin == null) {
			throw new ActionRefusedException("This broker cannot requeue dead letters");
		}
		boolean requeued = this.admin.requeueDeadLetter(queue, taskId);
		if (!requeued) {
			throw new UnknownItemException("Queue '" + queue + "' has no dead letter of task " + taskId);
		}
		audit.info(who + " requeued the dead letter of " + taskId + " on " + queue);
		return true;
	}

	private TaskQueueControl control() {
		if (this.control == null) {
			throw new ActionRefusedException("Remote control is off (taskqueue.control.enabled)");
		}
		return this.control;
	}

	private void allowed(Requester who, String what) {
		if (this.readOnly) {
			audit.info(who + " was refused '" + what + "': read-only");
			throw new ActionRefusedException(
					"Read only mode is enabled (taskqueue.dashboard.read-only): " + what + " refused");
		}
	}

}
