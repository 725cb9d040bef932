package dev.taskqueue.sample;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.Kwarg;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskMethod;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskOptions;

/**
 * Calls the sample's own tasks ({@link SampleTasks}) by name, one return style per method. A
 * method without {@code @TaskMethod} sends {@code tasks.} plus its name, routed as any task of
 * the application; the methods that wait give up after 10 seconds unless
 * {@code sample.client-timeout} says otherwise. The auto-configuration makes it a bean.
 */
@TaskClient(prefix = "tasks", timeout = "${sample.client-timeout:10s}")
public interface SampleTaskClient {

	/**
	 * Send {@code tasks.add} and wait for the sum.
	 * @param x the first
	 * @param y the second
	 * @return the sum
	 */
	long add(long x, long y);

	/**
	 * Send {@code tasks.mul} and return at once; {@code get} the product later.
	 * @param x the first
	 * @param y the second
	 * @return the task's handle
	 */
	AsyncResult<Long> mul(long x, long y);

	/**
	 * Send {@code tasks.mul} with per-call options, such as a countdown or a task id.
	 * @param x the first
	 * @param y the second
	 * @param options this call's options, over the client's
	 * @return the task's handle
	 */
	@TaskMethod("tasks.mul")
	AsyncResult<Long> mul(long x, long y, TaskOptions options);

	/**
	 * Send {@code tasks.mul} with keyword arguments, as Python's {@code mul.delay(x=..., y=...)}.
	 * @param x the first
	 * @param y the second
	 * @return the product
	 */
	@TaskMethod("tasks.mul")
	long mulByName(@Kwarg("x") long x, @Kwarg("y") long y);

	/**
	 * Send {@code tasks.xsum}; the future completes with the sum, or with the task's failure.
	 * @param numbers the numbers
	 * @return the sum, later
	 */
	CompletableFuture<Long> xsum(List<Long> numbers);

	/**
	 * Send {@code tasks.identity} and convert the result back to a list of points.
	 * @param points the points
	 * @return the same points, after a round trip through JSON
	 */
	@TaskMethod("tasks.identity")
	List<Point> identity(List<Point> points);

	/**
	 * Send {@code tasks.fail}, which fails: {@code get} throws a {@code TaskFailedException}.
	 * @param message the message of the exception
	 * @return the task's handle
	 */
	AsyncResult<Void> fail(String message);

	/**
	 * Build, without sending, the signature of {@code tasks.add}, for a chain, group or chord.
	 * @param x the first
	 * @param y the second
	 * @return the signature
	 */
	@TaskMethod("tasks.add")
	Signature addSignature(long x, long y);

	/**
	 * A point, sent as {@code {"x": ..., "y": ...}}.
	 *
	 * @param x the abscissa
	 * @param y the ordinate
	 */
	record Point(double x, double y) {
	}

}
