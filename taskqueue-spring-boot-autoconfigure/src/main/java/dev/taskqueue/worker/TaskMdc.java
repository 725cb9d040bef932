package dev.taskqueue.worker;

import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

import dev.taskqueue.protocol.TaskMessage;

/**
 * Puts the running task in SLF4J's MDC for the time it runs, so that every line the task and
 * the worker log on its thread names it: {@code task_id}, {@code task_name} and
 * {@code task_root_id}. Does nothing without SLF4J.
 */
final class TaskMdc implements AutoCloseable {

	/** MDC key of the task id. */
	static final String TASK_ID = "task_id";

	/** MDC key of the task name. */
	static final String TASK_NAME = "task_name";

	/** MDC key of the id of the workflow's first task. */
	static final String TASK_ROOT_ID = "task_root_id";

	private static final boolean slf4jPresent = ClassUtils.isPresent("org.slf4j.MDC", TaskMdc.class.getClassLoader());

	private static final TaskMdc NONE = new TaskMdc(false);

	private final boolean set;

	private TaskMdc(boolean set) {
		this.set = set;
	}

	/**
	 * Put a task in the MDC of this thread until {@link #close()}.
	 * @param message the task's message
	 * @return the handle that takes it out again
	 */
	static TaskMdc put(TaskMessage message) {
		if (!slf4jPresent) {
			return NONE;
		}
		MDC.put(TASK_ID, message.id());
		MDC.put(TASK_NAME, message.task());
		MDC.put(TASK_ROOT_ID, message.headers().rootId());
		return new TaskMdc(true);
	}

	@Override
	public void close() {
		if (this.set) {
			MDC.remove(TASK_ID);
			MDC.remove(TASK_NAME);
			MDC.remove(TASK_ROOT_ID);
		}
	}

}
