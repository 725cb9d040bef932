package dev.taskqueue.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.SafeRepr;
import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.worker.TaskListener;

/**
 * A worker's task events, as Celery's worker sends them with {@code -E}:
 * {@code task-received}, {@code task-started}, {@code task-succeeded}, {@code task-failed},
 * {@code task-retried}, {@code task-revoked} and {@code task-rejected}, gathered into
 * {@code task.multi} messages. They are sent only while enabled: from the start with
 * {@code taskqueue.worker.send-task-events}, or after Celery's {@code enable_events}
 * command. Each method returns at once and never throws.
 */
public final class TaskEventSender implements TaskListener, WorkerEventControl {

	private static final Log logger = LogFactory.getLog(TaskEventSender.class);

	/** Celery's {@code freq} in the heartbeat it sends when a monitor asks. */
	private static final int REQUESTED_HEARTBEAT_FREQUENCY = 5;

	private final EventDispatcher dispatcher;

	private final AtomicBoolean enabled;

	/**
	 * Create the task events of a worker.
	 * @param dispatcher sends the events, as the worker's node
	 * @param enabled whether task events are sent from the start (Celery's {@code -E})
	 */
	public TaskEventSender(EventDispatcher dispatcher, boolean enabled) {
		this.dispatcher = dispatcher;
		this.enabled = new AtomicBoolean(enabled);
	}

	@Override
	public boolean enableTaskEvents() {
		return this.enabled.compareAndSet(false, true);
	}

	@Override
	public boolean disableTaskEvents() {
		return this.enabled.compareAndSet(true, false);
	}

	/**
	 * Return whether task events are sent now.
	 * @return {@code true} when enabled
	 */
	public boolean isEnabled() {
		return this.enabled.get();
	}

	@Override
	public void sendHeartbeat() {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("freq", REQUESTED_HEARTBEAT_FREQUENCY);
		SystemInfo.putSoftware(fields);
		this.dispatcher.send("worker-heartbeat", fields);
	}

	@Override
	public void taskReceived(TaskMessage message, String queue) {
		if (this.enabled.get()) {
			send(message, "task-received", (fields) -> {
				TaskHeaders headers = message.headers();
				fields.put("name", headers.task());
				fields.put("args", message.argsrepr());
				fields.put("kwargs", message.kwargsrepr());
				fields.put("root_id", headers.rootId());
				fields.put("parent_id", headers.parentId());
				fields.put("retries", headers.retries());
				fields.put("eta", (headers.eta() != null) ? CeleryTime.format(headers.eta()) : null);
				fields.put("expires", (headers.expires() != null) ? CeleryTime.format(headers.expires()) : null);
			});
		}
	}

	@Override
	public void taskStarted(TaskMessage message, String queue) {
		if (this.enabled.get()) {
			send(message, "task-started", (fields) -> {
			});
		}
	}

	@Override
	public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
		if (this.enabled.get()) {
			send(message, "task-succeeded", (fields) -> {
				fields.put("result", SafeRepr.result(result));
				fields.put("runtime", seconds(runtime));
			});
		}
	}

	@Override
	public void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		if (this.enabled.get()) {
			send(message, "task-failed", (fields) -> {
				fields.put("exception", exception.repr());
				fields.put("traceback", Tracebacks.of(exception, cause));
			});
		}
	}

	@Override
	public void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		if (this.enabled.get()) {
			send(message, "task-retried", (fields) -> {
				fields.put("exception", exception.repr());
				fields.put("traceback", Tracebacks.of(exception, cause));
			});
		}
	}

	@Override
	public void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
		if (this.enabled.get()) {
			send(message, "task-revoked", (fields) -> {
				fields.put("terminated", terminated);
				// Celery terminates with SIGTERM unless told another signal
				fields.put("signum", terminated ? 15 : null);
				fields.put("expired", expired);
			});
		}
	}

	@Override
	public void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
		// a message that could not be read has no id a monitor could file the event under
		if (message != null && this.enabled.get()) {
			send(message, "task-rejected", (fields) -> fields.put("requeue", false));
		}
	}

	// Build and queue a task event; whatever goes wrong is logged, never thrown at the worker.
	private void send(TaskMessage message, String type, Fields own) {
		try {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			fields.put("uuid", message.id());
			own.put(fields);
			this.dispatcher.sendBatched(type, fields);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send " + type + " for task " + message.id(), ex);
		}
	}

	static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	/** Puts the fields of one event type after {@code uuid}. */
	@FunctionalInterface
	private interface Fields {

		void put(Map<String, @Nullable Object> fields);

	}

}
