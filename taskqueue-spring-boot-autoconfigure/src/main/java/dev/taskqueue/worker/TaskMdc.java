package dev.taskqueue.worker;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

import dev.taskqueue.protocol.TaskMessage;

/**
 * The task a thread runs, in SLF4J's MDC for the task's duration: {@code task_id},
 * {@code task_name} and {@code task_root_id} (the names Celery's task log format uses), so a
 * log pattern such as {@code %X{task_name}[%X{task_id}]} shows the task of every line the task
 * logs. Values a thread had before are put back on {@link #close()}, so a task run inline in
 * another keeps its parent's. Does nothing without SLF4J.
 * <pre>
 * try (TaskMdc mdc = TaskMdc.open(message)) {
 *     // run the task
 * }
 * </pre>
 */
final class TaskMdc implements AutoCloseable {

	static final String TASK_ID = "task_id";

	static final String TASK_NAME = "task_name";

	static final String TASK_ROOT_ID = "task_root_id";

	private static final boolean PRESENT = ClassUtils.isPresent("org.slf4j.MDC", TaskMdc.class.getClassLoader());

	private static final TaskMdc NONE = new TaskMdc(null, null, null);

	private final @Nullable String previousId;

	private final @Nullable String previousName;

	private final @Nullable String previousRootId;

	private TaskMdc(@Nullable String previousId, @Nullable String previousName, @Nullable String previousRootId) {
		this.previousId = previousId;
		this.previousName = previousName;
		this.previousRootId = previousRootId;
	}

	/**
	 * Put a task in the MDC of the current thread.
	 * @param message the task's message
	 * @return what puts the previous values back when closed
	 */
	static TaskMdc open(TaskMessage message) {
		if (!PRESENT) {
			return NONE;
		}
		TaskMdc previous = new TaskMdc(MDC.get(TASK_ID), MDC.get(TASK_NAME), MDC.get(TASK_ROOT_ID));
		MDC.put(TASK_ID, LogText.clean(message.id()));
		MDC.put(TASK_NAME, LogText.clean(message.task()));
		MDC.put(TASK_ROOT_ID, LogText.clean(message.headers().rootId()));
		return previous;
	}

	@Override
	public void close() {
		if (this != NONE) {
			restore(TASK_ID, this.previousId);
			restore(TASK_NAME, this.previousName);
			restore(TASK_ROOT_ID, this.previousRootId);
		}
	}

	private static void restore(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
