package dev.taskqueue.sample;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.Kwarg;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskMethod;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.sample.SampleTaskClient.Point;

/**
 * Calls the tasks of a Python Celery worker, those of {@code src/test/python/tasks.py}, on
 * the queue it consumes: {@code sample.python-queue}, {@code python} by default. The methods
 * that wait give up after {@code sample.python-timeout}, 10 seconds by default. A Python
 * exception comes back as a {@code TaskFailedException} carrying its type and traceback.
 *
 * <pre class="code">
 * &#64;app.task(name="tasks.py_add")
 * def py_add(x, y):
 *     return x + y
 * </pre>
 */
@TaskClient(prefix = "tasks", queue = "${sample.python-queue:python}", timeout = "${sample.python-timeout:10s}")
public interface PythonTaskClient {

	/**
	 * Send {@code tasks.py_add} and wait for the sum.
	 * @param x the first
	 * @param y the second
	 * @return the sum
	 */
	@TaskMethod("tasks.py_add")
	long add(long x, long y);

	/**
	 * Send {@code tasks.mul} as {@code mul(x=..., y=...)} and wait for the product.
	 * @param x the first
	 * @param y the second
	 * @return the product
	 */
	long mul(@Kwarg("x") long x, @Kwarg("y") long y);

	/**
	 * Send {@code tasks.xsum}; the future completes with Python's {@code sum(numbers)}.
	 * @param numbers the numbers
	 * @return the sum, later
	 */
	CompletableFuture<Double> xsum(List<Double> numbers);

	/**
	 * Send {@code tasks.identity} and convert Python's list of dicts back to points.
	 * @param points the points
	 * @return the same points, after a round trip through Python
	 */
	List<Point> identity(List<Point> points);

	/**
	 * Send {@code tasks.flaky}, whose Python parameter is {@code succeed_on}, and wait through
	 * its retries for the number of retries it made.
	 * @param succeedOn the retries after which the task succeeds, at most 3
	 * @return the number of retries
	 */
	@TaskMethod("tasks.flaky")
	int retries(@Kwarg("succeed_on") int succeedOn);

	/**
	 * Send {@code tasks.progress(steps=...)} and return at once: the handle shows its
	 * {@code PROGRESS} states while it runs.
	 * @param steps the number of steps, 0.2 seconds each
	 * @return the task's handle
	 */
	AsyncResult<Integer> progress(@Kwarg("steps") int steps);

	/**
	 * Send {@code tasks.fail}, which raises {@code ValueError(message)}: this method throws a
	 * {@code TaskFailedException} and never returns.
	 * @param message the message of the exception
	 * @return nothing, it always fails
	 */
	Object fail(String message);

}
