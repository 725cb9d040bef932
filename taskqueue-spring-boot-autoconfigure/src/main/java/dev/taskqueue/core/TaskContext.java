package dev.taskqueue.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a running task knows about itself (Celery's {@code self.request}), and how it reports
 * progress. Declare a parameter of this type on a {@link CeleryTask} method to receive it.
 */
public interface TaskContext {

	/** The task id. */
	String id();

	/** The task name. */
	String name();

	/** How many times the task was retried before this run. */
	int retries();

	/** The id of the first task of the workflow. */
	String rootId();

	/** The id of the task that sent this one, or {@code null}. */
	@Nullable String parentId();

	/** All message headers, including custom ones. */
	Map<String, Object> headers();

	/**
	 * Store a state for this task, such as {@code PROGRESS} with {@code {current, total}}, as
	 * Celery's {@code update_state} does. Clients see it through {@link AsyncResult#state()} and
	 * {@link AsyncResult#result()}.
	 * @param state the state name
	 * @param meta what the state carries, a JSON-serializable value
	 */
	void updateState(String state, @Nullable Object meta);

	/**
	 * The context of the task running on the current thread.
	 * @return the context, or {@code null} outside a task
	 */
	static @Nullable TaskContext current() {
		return TaskContextHolder.get();
	}

}
