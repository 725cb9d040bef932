package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.RevokedTaskStore;

/**
 * What Celery's remote-control commands read and change on a worker
 * ({@link WorkerContainer#control()}): the tasks it has taken, its tasks' settings, the queues
 * it consumes and the size of its pool. What changes at run time lasts until the worker stops;
 * the changes of tasks' settings last as long as the registry.
 */
public interface WorkerControl {

	/**
	 * Return the node name of the worker.
	 * @return the node name
	 */
	String hostname();

	/**
	 * Return how the worker was configured to run.
	 * @return the settings
	 */
	WorkerSettings settings();

	/**
	 * Return what the worker does and has done.
	 * @return the state
	 */
	WorkerState state();

	/**
	 * Return the broker URL, with any password masked.
	 * @return the URL
	 */
	String brokerUrl();

	/**
	 * Return the store of revoked tasks the worker follows.
	 * @return the store, or {@code null} when it has none
	 */
	@Nullable RevokedTaskStore revokedTaskStore();

	/**
	 * Return whether the worker runs.
	 * @return whether it runs
	 */
	boolean isRunning();

	/**
	 * Return how long the worker has run.
	 * @return the uptime, zero when it does not run
	 */
	Duration uptime();

	/**
	 * Return the tasks the worker knows.
	 * @param builtins whether Celery's built-in tasks ({@code celery.*}) are included
	 * @return the tasks
	 */
	Collection<TaskEndpoint> tasks(boolean builtins);

	/**
	 * Find a task.
	 * @param name the task name
	 * @return the task, or {@code null} when the worker does not know it
	 */
	@Nullable TaskEndpoint task(String name);

	/**
	 * Change the settings of a task from now on.
	 * @param name the task name
	 * @param change makes the new settings from the current ones
	 * @return whether the task is known
	 * @throws IllegalArgumentException when the change makes invalid settings
	 */
	boolean updateTask(String name, UnaryOperator<TaskSettings> change);

	/**
	 * Return the tasks taken from the broker and not finished, in the order they came.
	 * @return the requests, none when the worker does not run
	 */
	List<WorkerRequest> requests();

	/**
	 * Return the queues consumed now.
	 * @return the queue names, none when the worker does not run
	 */
	List<String> queues();

	/**
	 * Start consuming a queue.
	 * @param queue the queue name
	 * @return {@code false} when it is consumed already
	 * @throws IllegalStateException when the worker does not run
	 */
	boolean addQueue(String queue);

	/**
	 * Stop consuming a queue; the tasks taken from it run.
	 * @param queue the queue name
	 * @return {@code false} when it was not consumed
	 * @throws IllegalStateException when the worker does not run
	 */
	boolean cancelQueue(String queue);

	/**
	 * Return the number of tasks run at once.
	 * @return the concurrency of the pool
	 */
	int concurrency();

	/**
	 * Return the most messages the worker holds unacknowledged for each queue consumption.
	 * @return the prefetch count
	 */
	int prefetch();

	/**
	 * Run a different number of tasks at once from now on; the prefetch window follows, as in
	 * Celery: concurrency times the prefetch multiplier.
	 * @param concurrency the concurrency, positive
	 * @throws IllegalStateException when the worker does not run
	 * @throws dev.taskqueue.broker.BrokerException when the broker refuses the new window
	 */
	void setConcurrency(int concurrency);

	/**
	 * Describe the pool, such as {@code ThreadPoolExecutor(virtual threads)}.
	 * @return the description
	 */
	String poolImplementation();

}
