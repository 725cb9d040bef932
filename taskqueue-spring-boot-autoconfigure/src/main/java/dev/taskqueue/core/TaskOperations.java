package dev.taskqueue.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Sends tasks by name, as Celery's {@code send_task} does, and finds their results. Tasks may
 * run on this application's worker, on another Java worker or on a Python Celery worker.
 *
 * <pre class="code">
 * AsyncResult&lt;Integer&gt; sum = tasks.task("tasks.add").args(2, 3).countdown(Duration.ofSeconds(10)).send(Integer.class);
 * int five = sum.get(Duration.ofSeconds(30));
 * </pre>
 * <p>
 * Workflows use {@link Signature signatures}, as Celery's canvas does:
 * <pre class="code">
 * Signature add = tasks.signature("tasks.add");
 * int sixteen = tasks.chain(add.args(2, 2), add.args(4), add.args(8)).get(timeout, Integer.class);
 * List&lt;Integer&gt; sums = tasks.group(add.args(1, 1), add.args(2, 2)).join(timeout, Integer.class);
 * long total = tasks.chord(add.args(1, 1), add.args(2, 2)).body(tasks.signature("tasks.xsum")).get(timeout, Long.class);
 * </pre>
 */
public interface TaskOperations {

	/**
	 * Send a task with positional arguments to its default destination.
	 * @param name the task name
	 * @param args the positional arguments, JSON-serializable
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent (its message says whether it may have gone out)
	 */
	AsyncResult<Object> send(String name, Object... args);

	/**
	 * Send many tasks without waiting for each: every message is on its way before the
	 * broker confirmed the ones before it, so they cost about one round trip in all instead
	 * of one each. Each future completes as {@link TaskRequest#sendAsync()} describes: a
	 * failure fails its own future only. This call waits for room while the broker's
	 * in-flight window ({@code taskqueue.broker.*.max-in-flight}) is full.
	 * <pre class="code">
	 * List&lt;CompletableFuture&lt;AsyncResult&lt;Object&gt;&gt;&gt; sent = tasks.sendAll(orders.stream()
	 *     .map((order) -&gt; tasks.task("orders.ship").args(order.id()))
	 *     .toList());
	 * CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
	 * </pre>
	 * @param requests the tasks, sent in order
	 * @return the future of each task's result handle, in the order of the requests
	 */
	default List<CompletableFuture<AsyncResult<Object>>> sendAll(Collection<TaskRequest> requests) {
		List<CompletableFuture<AsyncResult<Object>>> sent = new ArrayList<>(requests.size());
		for (TaskRequest request : requests) {
			sent.add(request.sendAsync());
		}
		return sent;
	}

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

	/**
	 * Start a signature of a task, to build a workflow from; Celery's {@code add.s()}.
	 * @param name the task name
	 * @return the signature, with no arguments yet
	 */
	default Signature signature(String name) {
		return Signature.of(name);
	}

	/**
	 * Send a signature: a task, a chain (whose result is its last step's) or a chord (whose
	 * result is its body's). Send groups with {@link #group(List)}.
	 * @param signature the signature
	 * @return the result handle of the task, the chain's last step or the chord's body
	 * @throws TaskSendException when the canvas cannot be sent (a group, a chain that ends in
	 * a group, a chord on a backend that cannot join it, an invalid signature); nothing was
	 * sent, or for a partly sent group or chord what was sent is logged
	 */
	AsyncResult<Object> send(Signature signature);

	/**
	 * Send a chain: the first step now, each next one by the worker that finished the one
	 * before, with that result prepended to its arguments (unless immutable). A failed step
	 * stops the chain: the steps after it are stored as FAILURE with the same exception.
	 * @param steps the steps, in execution order
	 * @return the result handle of the last step
	 * @throws TaskSendException when the chain cannot be sent
	 */
	default AsyncResult<Object> chain(Signature... steps) {
		return send(Signature.chain(steps));
	}

	/**
	 * Send a group: every member now, each with the group id and its index. A member that is
	 * itself a group is flattened into it, its own options going to each of its members over
	 * theirs, as in Celery: {@code group(Signature.group(...).queue("q"))} sends that group.
	 * @param members the members, in order
	 * @return the group's results
	 * @throws TaskSendException when the group cannot be sent
	 */
	default GroupResult group(Signature... members) {
		return group(Arrays.asList(members));
	}

	/**
	 * Send a group; see {@link #group(Signature...)}.
	 * @param members the members, in order
	 * @return the group's results
	 * @throws TaskSendException when the group cannot be sent
	 */
	GroupResult group(List<Signature> members);

	/**
	 * Start a chord with its header; {@link ChordHeader#body(Signature)} sends it, as
	 * Celery's {@code chord(header)(body)}. Needs a result backend that joins chords (Redis,
	 * or the in-memory one); {@code rpc://} does not, as in Celery.
	 * @param header the header members, in order
	 * @return the chord's header, to give a body
	 */
	default ChordHeader chord(Signature... header) {
		List<Signature> members = List.of(header);
		return (body) -> send(Signature.chord(members, body));
	}

	/**
	 * A group saved earlier with {@link GroupResult#save()}, by Java or Python.
	 * @param groupId the group id
	 * @return the group's results
	 * @throws dev.taskqueue.TaskQueueException when no group of that id is saved, or the backend does not keep
	 * groups
	 */
	GroupResult groupResult(String groupId);

	/**
	 * The header of a chord, waiting for its body.
	 */
	@FunctionalInterface
	interface ChordHeader {

		/**
		 * Send the chord: the header members now; once all succeeded, the body with the list of
		 * their results, in member order, prepended to its arguments. When a member fails, the
		 * body is stored as FAILURE with Celery's {@code ChordError} naming the member, and its
		 * errbacks run.
		 * @param body the body
		 * @return the result handle of the body
		 * @throws TaskSendException when the chord cannot be sent
		 */
		AsyncResult<Object> body(Signature body);

	}

}
