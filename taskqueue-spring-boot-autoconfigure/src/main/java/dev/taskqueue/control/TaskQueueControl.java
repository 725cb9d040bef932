package dev.taskqueue.control;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.control.Broadcaster.Target;
import dev.taskqueue.core.RevokeBroadcaster;
import dev.taskqueue.protocol.LamportClock;

/**
 * Remote control of the workers, Java and Python alike, as Celery's {@code app.control}:
 * {@link #inspect()} asks them what they do, the other methods tell them what to do. A
 * command goes to every worker unless {@link #destination(String...) destination} or
 * {@link #matching(String, String) matching} narrows it; replies are collected for the
 * {@link #timeout(Duration) timeout} (1 second by default), or until every named worker has
 * replied. Replies are keyed by node name; a node that does not answer in time is absent.
 * A broker that cannot be reached fails the call with a
 * {@link dev.taskqueue.broker.BrokerException}.
 * <p>
 * Instances are immutable and thread-safe: {@code destination}, {@code matching} and
 * {@code timeout} return new instances sharing the transport. As a
 * {@link RevokeBroadcaster} it passes the revokes of the template on to Python workers.
 */
public final class TaskQueueControl implements RevokeBroadcaster {

	/** The time replies are collected unless another is given: 1 second, as Celery's. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	private final Broadcaster broadcaster;

	private final Target target;

	private final Duration timeout;

	/**
	 * Create a control on Celery's default control exchange ({@code celery}).
	 * @param transport the broadcast transport of the broker the workers use
	 * @param clock the Lamport clock of this process
	 */
	public TaskQueueControl(BroadcastTransport transport, LamportClock clock) {
		this(transport, clock, Mailbox.DEFAULT_CONTROL_EXCHANGE);
	}

	/**
	 * Create a control.
	 * @param transport the broadcast transport of the broker the workers use
	 * @param clock the Lamport clock of this process
	 * @param controlExchange the name of Celery's {@code control_exchange}, {@code celery} by default
	 */
	public TaskQueueControl(BroadcastTransport transport, LamportClock clock, String controlExchange) {
		this(new Broadcaster(checked(transport), checked(clock), new Mailbox(controlExchange)), Target.ALL,
				DEFAULT_TIMEOUT);
	}

	private TaskQueueControl(Broadcaster broadcaster, Target target, Duration timeout) {
		this.broadcaster = broadcaster;
		this.target = target;
		this.timeout = timeout;
	}

	/**
	 * Address only the given nodes; replies are awaited until each of them replied or the
	 * timeout passed.
	 * @param nodes the node names, such as {@code celery@host}
	 * @return a control for these nodes
	 */
	public TaskQueueControl destination(String... nodes) {
		return new TaskQueueControl(this.broadcaster, destinationTarget(nodes), this.timeout);
	}

	/**
	 * Address only the nodes whose name matches a pattern.
	 * @param pattern the pattern, such as {@code celery@*}
	 * @param matcher {@code glob} (shell pattern on the whole name) or {@code pcre} (regular
	 * expression matched at the start of the name, as Python's {@code re.match})
	 * @return a control for the matching nodes
	 */
	public TaskQueueControl matching(String pattern, String matcher) {
		return new TaskQueueControl(this.broadcaster, patternTarget(pattern, matcher), this.timeout);
	}

	/**
	 * Collect replies for another time.
	 * @param timeout how long to wait for replies, positive
	 * @return a control with this timeout
	 */
	public TaskQueueControl timeout(Duration timeout) {
		return new TaskQueueControl(this.broadcaster, this.target, checkedTimeout(timeout));
	}

	/**
	 * Ask the nodes what they do, collecting replies for this control's timeout.
	 * @return the inspector
	 */
	public Inspector inspect() {
		return new Inspector(this.broadcaster, this.target, this.timeout);
	}

	/**
	 * Ask the nodes what they do, collecting replies for the given time.
	 * @param timeout how long to wait for replies, positive
	 * @return the inspector
	 */
	public Inspector inspect(Duration timeout) {
		return new Inspector(this.broadcaster, this.target, checkedTimeout(timeout));
	}

	/**
	 * Ping the nodes ({@code celery status}).
	 * @return {@code {"ok": "pong"}} by node
	 */
	public Map<String, ControlReply> ping() {
		return call("ping", Map.of());
	}

	/**
	 * Revoke a task: workers discard it when it arrives and, with {@code terminate}, stop it
	 * if running.
	 * @param taskId the task id
	 * @param terminate whether to terminate the task if it runs (with {@code SIGTERM})
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> revoke(String taskId, boolean terminate) {
		return revoke(taskId, terminate, "SIGTERM");
	}

	/**
	 * Revoke a task, terminating it with the given signal if it runs and {@code terminate}.
	 * @param taskId the task id
	 * @param terminate whether to terminate the task if it runs
	 * @param signal the signal's name, such as {@code SIGTERM} or {@code SIGKILL}
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> revoke(String taskId, boolean terminate, String signal) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		return revokeWith(taskId, terminate, signal);
	}

	/**
	 * Revoke tasks, terminating them with the given signal if they run and {@code terminate}.
	 * @param taskIds the task ids
	 * @param terminate whether to terminate the tasks that run
	 * @param signal the signal's name, such as {@code SIGTERM}
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> revoke(List<String> taskIds, boolean terminate, String signal) {
		Assert.notEmpty(taskIds, "'taskIds' must not be empty");
		Assert.noNullElements(taskIds, "'taskIds' must not contain null");
		return revokeWith(List.copyOf(taskIds), terminate, signal);
	}

	/**
	 * Broadcast a revoke without waiting for replies, as Celery's
	 * {@code app.control.revoke(ids, terminate=...)} does by default.
	 * @param taskIds the task ids
	 * @param terminate whether to terminate the tasks that run (with {@code SIGTERM})
	 */
	@Override
	public void broadcast(List<String> taskIds, boolean terminate) {
		Assert.notEmpty(taskIds, "'taskIds' must not be empty");
		Assert.noNullElements(taskIds, "'taskIds' must not contain null");
		this.broadcaster.broadcast("revoke", CommandArguments.revoke(List.copyOf(taskIds), terminate, "SIGTERM"), this.target,
				false, this.timeout);
	}

	private Map<String, ControlReply> revokeWith(Object taskId, boolean terminate, String signal) {
		Assert.hasText(signal, "'signal' must not be empty");
		return call("revoke", CommandArguments.revoke(taskId, terminate, signal));
	}

	/**
	 * Set a task's rate limit on the workers.
	 * @param taskName the task name
	 * @param rateLimit such as {@code 10/m}, {@code 5/s} or {@code 100/h}; {@code null} or
	 * {@code "0"} to lift the limit
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> rateLimit(String taskName, @Nullable String rateLimit) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		return call("rate_limit", CommandArguments.rateLimit(taskName, rateLimit));
	}

	/**
	 * Set a task's time limits on the workers.
	 * @param taskName the task name
	 * @param soft the soft limit in seconds, {@code null} for none
	 * @param hard the hard limit in seconds, {@code null} for none
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> timeLimit(String taskName, @Nullable Number soft, @Nullable Number hard) {
		Assert.hasText(taskName, "'taskName' must not be empty");
		return call("time_limit", CommandArguments.timeLimit(taskName, soft, hard));
	}

	/**
	 * Tell the workers to consume one more queue (bound to a direct exchange of its name).
	 * @param queue the queue name
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> addConsumer(String queue) {
		return addConsumer(queue, null, "direct", null);
	}

	/**
	 * Tell the workers to consume one more queue, declared with the given binding.
	 * @param queue the queue name
	 * @param exchange the exchange, {@code null} for the queue's name
	 * @param exchangeType the exchange type, such as {@code direct}
	 * @param routingKey the binding's routing key, {@code null} for the queue's name
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> addConsumer(String queue, @Nullable String exchange, String exchangeType,
			@Nullable String routingKey) {
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.hasText(exchangeType, "'exchangeType' must not be empty");
		return call("add_consumer", CommandArguments.addConsumer(queue, exchange, exchangeType, routingKey));
	}

	/**
	 * Tell the workers to stop consuming a queue.
	 * @param queue the queue name
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> cancelConsumer(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return call("cancel_consumer", Map.of("queue", queue));
	}

	/**
	 * Tell the workers to send task events.
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> enableEvents() {
		return call("enable_events", Map.of());
	}

	/**
	 * Tell the workers to stop sending task events.
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> disableEvents() {
		return call("disable_events", Map.of());
	}

	/**
	 * Tell the workers to send a {@code worker-heartbeat} event now. Nothing is replied.
	 */
	public void heartbeat() {
		this.broadcaster.broadcast("heartbeat", Map.of(), this.target, false, this.timeout);
	}

	/**
	 * Tell the workers to shut down: Celery's {@code shutdown} command. Nothing is replied.
	 * Not named {@code shutdown()}: Spring would take that for the bean's destroy method and
	 * stop the whole fleet when the application closes.
	 */
	public void shutdownWorkers() {
		this.broadcaster.broadcast("shutdown", Map.of(), this.target, false, this.timeout);
	}

	/**
	 * Tell the workers to add processes (threads) to their pool.
	 * @param n how many, positive
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> poolGrow(int n) {
		Assert.isTrue(n > 0, "'n' must be positive");
		return call("pool_grow", Map.of("n", n));
	}

	/**
	 * Tell the workers to remove processes (threads) from their pool.
	 * @param n how many, positive
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> poolShrink(int n) {
		Assert.isTrue(n > 0, "'n' must be positive");
		return call("pool_shrink", Map.of("n", n));
	}

	/**
	 * Set the bounds of the workers' autoscaling.
	 * @param max the most processes (threads)
	 * @param min the fewest processes (threads)
	 * @return the nodes' replies
	 */
	public Map<String, ControlReply> autoscale(int max, int min) {
		Assert.isTrue(min >= 0 && max >= min, "'max' must be at least 'min', and 'min' not negative");
		return call("autoscale", CommandArguments.autoscale(max, min));
	}

	/**
	 * Broadcast any command, as Celery's {@code app.control.broadcast}.
	 * @param method the command, such as {@code ping}
	 * @param arguments its keyword arguments, JSON values
	 * @param reply whether to collect replies
	 * @param timeout how long to collect them, positive
	 * @param destination the node names to address, {@code null} or empty for every node this
	 * control addresses
	 * @return the replies as received by node name; empty when none are wanted
	 */
	public Map<String, @Nullable Object> broadcast(String method, Map<String, ?> arguments, boolean reply,
			Duration timeout, @Nullable List<String> destination) {
		Assert.hasText(method, "'method' must not be empty");
		Assert.notNull(arguments, "'arguments' must not be null");
		Target target = (destination != null && !destination.isEmpty())
				? destinationTarget(destination.toArray(String[]::new)) : this.target;
		return this.broadcaster.broadcast(method, arguments, target, reply, checkedTimeout(timeout));
	}

	private Map<String, ControlReply> call(String method, Map<String, ?> arguments) {
		return ReplyReader.byNode(method, this.broadcaster.broadcast(method, arguments, this.target, true, this.timeout),
				ReplyReader::controlReply);
	}

	static Target destinationTarget(String... nodes) {
		Assert.notEmpty(nodes, "'nodes' must not be empty");
		Assert.noNullElements(nodes, "'nodes' must not contain null");
		return new Target(List.copyOf(Arrays.asList(nodes)), null, null);
	}

	static Target patternTarget(String pattern, String matcher) {
		Assert.hasText(pattern, "'pattern' must not be empty");
		Assert.isTrue("glob".equals(matcher) || "pcre".equals(matcher), "'matcher' must be 'glob' or 'pcre'");
		return new Target(null, pattern, matcher);
	}

	static Duration checkedTimeout(Duration timeout) {
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return timeout;
	}

	private static <T> T checked(T value) {
		Assert.notNull(value, "'transport' and 'clock' must not be null");
		return value;
	}

}
