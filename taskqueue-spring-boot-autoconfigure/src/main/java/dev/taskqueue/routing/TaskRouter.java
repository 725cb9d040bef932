package dev.taskqueue.routing;

import org.jspecify.annotations.Nullable;

/**
 * Picks the destination of a task, the way Celery's {@code task_routes} do.
 */
@FunctionalInterface
public interface TaskRouter {

	/**
	 * Route a task.
	 * @param taskName the task name
	 * @param queue the queue the caller asked for, or {@code null}
	 * @return the destination
	 * @throws NoSuchRouteException when the task cannot be routed
	 */
	Destination route(String taskName, @Nullable String queue);

	/**
	 * Be told the queue a task of this application declares with
	 * {@code @CeleryTask(queue = ...)}, so that sending the task without a queue reaches it.
	 * Called once per such task when the application context has created its singletons. The
	 * default does nothing: a router that ignores it routes those tasks by its own rules.
	 * @param taskName the task name
	 * @param queue the queue the task declares
	 */
	default void registerTaskQueue(String taskName, String queue) {
	}

}
