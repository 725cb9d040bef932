package dev.taskqueue.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.core.TaskRetry;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Stores the states of the tasks a worker runs, with the lineage and extended fields Celery
 * writes, as Celery's backend {@code mark_as_*} methods do: a final state also continues the
 * task's canvas ({@link CanvasSteps}). A result that cannot be serialized is stored as a
 * FAILURE instead, as Celery does, and so is a success whose callbacks or next chain step
 * cannot be sent.
 */
final class ResultRecorder {

	private static final Log logger = LogFactory.getLog(ResultRecorder.class);

	private static final long PID = ManagementFactory.getRuntimeMXBean().getPid();

	private final ResultBackend backend;

	private final WorkerSettings settings;

	private final @Nullable CanvasSteps canvas;

	ResultRecorder(ResultBackend backend, WorkerSettings settings) {
		this(backend, settings, null);
	}

	ResultRecorder(ResultBackend backend, WorkerSettings settings, @Nullable CanvasSteps canvas) {
		this.backend = backend;
		this.settings = settings;
		this.canvas = canvas;
	}

	void started(TaskMessage message, String queue) {
		store(message, queue, ResultMeta.of(message.id(), CeleryStates.STARTED,
				Map.of("pid", PID, "hostname", this.settings.hostname())));
	}

	void state(TaskMessage message, String queue, String state, @Nullable Object meta) {
		store(message, queue, ResultMeta.of(message.id(), state, meta));
	}

	void success(TaskMessage message, String queue, @Nullable Object result) {
		List<Object> children;
		try {
			children = (this.canvas != null) ? this.canvas.succeeded(message, result) : List.of();
		}
		catch (RuntimeException ex) {
			logger.error("Task " + message.task() + "[" + message.id() + "] succeeded, but what follows it in its "
					+ "workflow could not be sent; it is stored as FAILURE", ex);
			failure(message, queue, ExceptionInfo.of(ex), ex);
			return;
		}
		ResultMeta stored;
		try {
			ResultMeta success = ResultMeta.of(message.id(), CeleryStates.SUCCESS, result);
			stored = store(message, queue, children.isEmpty() ? success : success.withChildren(children));
		}
		catch (MessageEncodingException ex) {
			failure(message, queue, ExceptionInfo.python("kombu.exceptions", "EncodeError",
					"Result of " + message.task() + " cannot be serialized: " + ex.getMessage()), null);
			return;
		}
		if (this.canvas != null) {
			this.canvas.ended(message, stored);
		}
	}

	void failure(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause) {
		ResultMeta stored = store(message, queue, ResultMeta.ofException(message.id(), CeleryStates.FAILURE,
				exception, (cause != null) ? stackTrace(cause) : null));
		if (this.canvas != null) {
			this.canvas.ended(message, stored);
			this.canvas.failed(message, stored);
		}
	}

	/**
	 * Continue the canvas of a task whose result is not stored ({@code ignore_result}): the
	 * callbacks and chain after a success, the errbacks after a failure, the chord either way.
	 * @param message the task's message
	 * @param meta the state the task ended in
	 */
	void unstored(TaskMessage message, ResultMeta meta) {
		if (this.canvas == null) {
			return;
		}
		ResultMeta ended = meta;
		if (CeleryStates.SUCCESS.equals(meta.status())) {
			try {
				this.canvas.succeeded(message, meta.result());
			}
			catch (RuntimeException ex) {
				// as for a stored result: the task fails, and its chord and errbacks hear of it
				logger.error("Task " + message.task() + "[" + message.id() + "] succeeded, but what follows it in its "
						+ "workflow could not be sent; it counts as FAILURE", ex);
				ended = ResultMeta.ofException(message.id(), CeleryStates.FAILURE, ExceptionInfo.of(ex), stackTrace(ex));
			}
		}
		this.canvas.ended(message, ended);
		if (CeleryStates.FAILURE.equals(ended.status())) {
			this.canvas.failed(message, ended);
		}
	}

	/**
	 * Store RETRY as Celery does: the retry's exception, or Celery's {@code Retry} naming when
	 * the task runs again when it gave none, and the retry as the only child (the task sent it).
	 * @param message the message of the run that retries
	 * @param queue the queue it came from
	 * @param retry the retry
	 * @param eta when the retry runs
	 */
	void retry(TaskMessage message, String queue, TaskRetry retry, Instant eta) {
		Throwable exception = retry.getException();
		ResultMeta meta = ResultMeta.ofException(message.id(), CeleryStates.RETRY, retryReason(retry, eta),
				(exception != null) ? stackTrace(exception) : null);
		List<Object> self = Arrays.asList(Arrays.asList(message.id(), null), null);
		store(message, queue, meta.withChildren(List.of(self)));
	}

	/**
	 * Return the exception a retry is stored with: the retry's own, or Celery's {@code Retry}
	 * naming when the task runs again when it gave none.
	 * @param retry the retry
	 * @param eta when the retry runs
	 * @return the exception
	 */
	static ExceptionInfo retryReason(TaskRetry retry, Instant eta) {
		Throwable exception = retry.getException();
		return (exception != null) ? TimeLimits.describe(exception)
				: ExceptionInfo.python("celery.exceptions", "Retry", "Retry at " + CeleryTime.format(eta));
	}

	void revoked(TaskMessage message, String queue, String reason) {
		ResultMeta stored = store(message, queue, ResultMeta.revoked(message.id(), reason));
		if (this.canvas != null) {
			this.canvas.ended(message, stored);
		}
	}

	private ResultMeta store(TaskMessage message, String queue, ResultMeta meta) {
		var headers = message.headers();
		ResultMeta complete = meta.withLineage(headers.group(), headers.groupIndex(), headers.parentId());
		if (this.settings.resultExtended()) {
			complete = complete.withExtended(new ResultMeta.Extended(headers.task(), message.args(), message.kwargs(),
					this.settings.hostname(), headers.retries(), queue));
		}
		this.backend.store(complete, message.properties().replyTo());
		return complete;
	}

	void storeQuietly(Runnable store, String taskId) {
		try {
			store.run();
		}
		catch (RuntimeException ex) {
			logger.error("Could not store the state of task " + taskId, ex);
		}
	}

	static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

}
