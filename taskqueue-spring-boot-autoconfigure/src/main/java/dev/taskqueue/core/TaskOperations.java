package dev.taskqueue.core;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Sends tasks by name, as Celery's {@code send_task} does, and finds their results. Tasks may
 * run on this application's worker, on another Java worker or on a Python Celery worker.
 *
 * <pre class="code">
 * AsyncResult&lt;Integer&gt; sum = tasks.task("tasks.add").args(2, 3).countdown(Duration.ofSeconds(10)).send(Integer.class);
 * int five = sum.get(Duration.ofSeconds(30));
 * </pre>
 */
public interface TaskOperations {

	/**
	 * Send a task with positional arguments to its default destination.
	 * @param name the task name
	 * @param args the positional arguments, JSON-serializable
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent; nothing was sent
	 */
	AsyncResult<Object> send(String name, Object... args);

	/**
	 * Start describing a task to send, with options.
	 * @param name the task name
	 * @return a request to complete and {@link TaskRequest#send() send}
	 */
	TaskRequest task(String name);

	/**
	 * The result handle of a task sent earlier, by any client.
	 * @param id the task id
	 * @return the result handle
	 */
	AsyncResult<Object> result(String id);

	/**
	 * The result handle of a task sent earlier, with the type to convert its result to.
	 * @param id the task id
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the result handle
	 */
	<T> AsyncResult<T> result(String id, Class<T> resultType);

	/**
	 * The result handle of a task sent earlier, with the generic type to convert its result to,
	 * such as {@code new ParameterizedTypeReference<List<Order>>() {}}.
	 * @param id the task id
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the result handle
	 */
	<T> AsyncResult<T> result(String id, ParameterizedTypeReference<T> resultType);

	/**
	 * Revoke a task, sent by any client, even one not sent yet: workers do not run it, and
	 * with {@code terminate} a worker running it interrupts it. Unlike Celery, the revoke is
	 * durable: it is kept for {@code taskqueue.worker.revoked-ttl} (3 hours by default) where
	 * every worker finds it, also workers started later. The task's state is REVOKED at once
	 * (as from Celery 5.6.2), unless it already finished.
	 * @param id the task id
	 * @param terminate whether a worker running the task interrupts it (it then ends REVOKED
	 * with the reason {@code terminated})
	 * @throws dev.taskqueue.backend.ResultBackendException when the revoke cannot be kept
	 */
	void revoke(String id, boolean terminate);

}
