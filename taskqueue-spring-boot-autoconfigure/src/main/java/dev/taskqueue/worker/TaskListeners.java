package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;

/**
 * The {@link TaskListener}s of a worker as one: each is told in turn, and what one throws is
 * logged and kept from the worker and from the other listeners.
 */
final class TaskListeners implements TaskListener {

	private static final Log logger = LogFactory.getLog(TaskListeners.class);

	/** No listeners. */
	static final TaskListeners NONE = new TaskListeners(List.of());

	private final List<TaskListener> listeners;

	private TaskListeners(List<TaskListener> listeners) {
		this.listeners = listeners;
	}

	static TaskListeners of(List<? extends TaskListener> listeners) {
		return listeners.isEmpty() ? NONE : new TaskListeners(List.copyOf(listeners));
	}

	@Override
	public void taskReceived(TaskMessage message, String queue) {
		tell(message, (listener) -> listener.taskReceived(message, queue));
	}

	@Override
	public void taskStarted(TaskMessage message, String queue) {
		tell(message, (listener) -> listener.taskStarted(message, queue));
	}

	@Override
	public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
		tell(message, (listener) -> listener.taskSucceeded(message, queue, result, runtime));
	}

	@Override
	public void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		tell(message, (listener) -> listener.taskFailed(message, queue, exception, cause, runtime));
	}

	@Override
	public void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		tell(message, (listener) -> listener.taskRetried(message, queue, exception, cause, runtime));
	}

	@Override
	public void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
		tell(message, (listener) -> listener.taskRevoked(message, queue, terminated, expired));
	}

	@Override
	public void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
		tell(message, (listener) -> listener.taskRejected(message, queue, reason));
	}

	private void tell(@Nullable TaskMessage message, Consumer<TaskListener> call) {
		for (TaskListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException | LinkageError | AssertionError ex) {
				// a listener must not fail the task nor leave its message unsettled
				logger.warn("Task listener " + listener.getClass().getName() + " failed on task "
						+ ((message != null) ? message.id() : "(unreadable message)"), ex);
			}
		}
	}

}
