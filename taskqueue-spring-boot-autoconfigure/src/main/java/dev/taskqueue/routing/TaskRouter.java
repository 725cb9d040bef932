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

}
