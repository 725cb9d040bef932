package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.SafeRepr;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Logs what becomes of each task as a Celery worker does: {@code Task tasks.add[id] received}
 * and {@code Task tasks.add[id] succeeded in 0.001s: 5} at INFO, {@code Task
 * tasks.add[id] raised unexpected: ValueError('boom')} at ERROR with the stack trace,
 * {@code Task tasks.add[id] retry: ...} at WARN, revoked and rejected tasks at INFO.
 * <p>
 * Argument values are never logged (they may hold secrets): only task names, ids, the repr of
 * results (cut after a bounded length) and exceptions. Names, ids and reasons come from
 * messages and are logged with control characters replaced and their length bounded.
 */
public class TaskLog implements TaskListener {

	/** How long the repr of a result may be by default. */
	public static final int DEFAULT_MAX_RESULT_LENGTH = 200;

	private static final int MAX_EXCEPTION_LENGTH = 1024;

	private static final Log logger = LogFactory.getLog(TaskLog.class);

	private final boolean logTasks;

	private final int maxResultLength;

	/**
	 * Create a task log that logs every task.
	 */
	public TaskLog() {
		this(true, DEFAULT_MAX_RESULT_LENGTH);
	}

	/**
	 * Create a task log.
	 * @param logTasks whether to log a line per received, succeeded, revoked and rejected task;
	 * failures and retries are logged either way
	 * @param maxResultLength the length after which the repr of a result is cut
	 */
	public TaskLog(boolean logTasks, int maxResultLength) {
		this.logTasks = logTasks;
		this.maxResultLength = maxResultLength;
	}

	@Override
	public void taskReceived(TaskMessage message, String queue) {
		if (this.logTasks && logger.isInfoEnabled()) {
			logger.info(task(message) + " received");
		}
	}

	@Override
	public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
		if (this.logTasks && logger.isInfoEnabled()) {
			logger.info(task(message) + " succeeded in " + seconds(runtime) + "s: " + repr(result));
		}
	}

	@Override
	public void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		logger.error(task(message) + " raised unexpected: " + LogText.clean(exception.repr(), MAX_EXCEPTION_LENGTH),
				cause);
	}

	@Override
	public void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		String reason = "Retry".equals(exception.type()) ? exception.text() : exception.repr();
		logger.warn(task(message) + " retry: " + LogText.clean(reason, MAX_EXCEPTION_LENGTH));
	}

	@Override
	public void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
		if (this.logTasks && logger.isInfoEnabled()) {
			logger.info(task(message) + " revoked" + (terminated ? ": terminated" : (expired ? ": expired" : "")));
		}
	}

	@Override
	public void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
		if (this.logTasks && logger.isInfoEnabled()) {
			String what = (message != null) ? task(message) : "A message from queue " + LogText.clean(queue);
			logger.info(what + " rejected: " + LogText.clean(reason));
		}
	}

	private static String task(TaskMessage message) {
		return "Task " + LogText.clean(message.task()) + "[" + LogText.clean(message.id()) + "]";
	}

	private String repr(@Nullable Object result) {
		try {
			return LogText.clean(SafeRepr.of(result, this.maxResultLength), this.maxResultLength + 16);
		}
		catch (RuntimeException ex) {
			return "<" + ((result != null) ? result.getClass().getName() : "None") + ">";
		}
	}

	// Celery prints the runtime with Python's default float formatting; six decimals are enough
	private static String seconds(Duration runtime) {
		double seconds = runtime.toNanos() / 1e9;
		String text = String.format(Locale.ROOT, "%.6f", seconds);
		int end = text.length();
		while (end > 0 && text.charAt(end - 1) == '0' && text.charAt(end - 2) != '.') {
			end--;
		}
		return text.substring(0, end);
	}

}
