package dev.taskqueue.core;

import org.jspecify.annotations.Nullable;

/**
 * Holds the {@link TaskContext} of the task running on the current thread. The worker sets it;
 * {@link TaskOperations} reads it to link tasks sent from inside a task to their parent.
 * Infrastructure: application code uses {@link TaskContext#current()}.
 */
public final class TaskContextHolder {

	private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

	private TaskContextHolder() {
	}

	static @Nullable TaskContext get() {
		return CURRENT.get();
	}

	/**
	 * Run an action with the given context as the current one.
	 * @param context the context of the running task
	 * @param action the action
	 * @param <T> the result type
	 * @return what the action returned
	 * @throws Exception what the action threw
	 */
	public static <T> T callWith(TaskContext context, java.util.concurrent.Callable<T> action) throws Exception {
		TaskContext previous = CURRENT.get();
		CURRENT.set(context);
		try {
			return action.call();
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

}
