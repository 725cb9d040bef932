package dev.taskqueue.control;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.control.Broadcaster.Target;

/**
 * Asks workers what they do, as Celery's {@code app.control.inspect()} and
 * {@code celery inspect}: each method broadcasts one read-only command and returns the
 * replies by node name, typed. A node whose reply does not have the expected shape is left
 * out with a warning; the other nodes' replies are kept. Obtained from
 * {@link TaskQueueControl#inspect()}; immutable and thread-safe.
 */
public final class Inspector {

	private final Broadcaster broadcaster;

	private final Target target;

	private final Duration timeout;

	Inspector(Broadcaster broadcaster, Target target, Duration timeout) {
		this.broadcaster = broadcaster;
		this.target = target;
		this.timeout = timeout;
	}

	/**
	 * Ask only the given nodes; replies are awaited until each of them replied or the timeout
	 * passed.
	 * @param nodes the node names
	 * @return an inspector of these nodes
	 */
	public Inspector destination(String... nodes) {
		return new Inspector(this.broadcaster, TaskQueueControl.destinationTarget(nodes), this.timeout);
	}

	/**
	 * Ask only the nodes whose name matches a pattern.
	 * @param pattern the pattern, such as {@code celery@*}
	 * @param matcher {@code glob} or {@code pcre}
	 * @return an inspector of the matching nodes
	 * @see TaskQueueControl#matching(String, String)
	 */
	public Inspector matching(String pattern, String matcher) {
		return new Inspector(this.broadcaster, TaskQueueControl.patternTarget(pattern, matcher), this.timeout);
	}

	/**
	 * Ping the nodes ({@code celery inspect ping}).
	 * @return {@code {"ok": "pong"}} by node
	 */
	public Map<String, ControlReply> ping() {
		return request("ping", Map.of(), ReplyReader::controlReply);
	}

	/**
	 * Return the nodes' statistics.
	 * @return the statistics by node
	 */
	public Map<String, WorkerStats> stats() {
		return request("stats", Map.of(), ReplyReader::stats);
	}

	/**
	 * Return the tasks the nodes execute, with their arguments.
	 * @return the tasks by node
	 */
	public Map<String, List<TaskInfo>> active() {
		return active(null);
	}

	/**
	 * Return the tasks the nodes execute.
	 * @param safe {@code true} for the repr of the arguments ({@code argsrepr},
	 * {@code kwargsrepr}) rather than their values, {@code null} for the node's default
	 * @return the tasks by node
	 */
	public Map<String, List<TaskInfo>> active(@Nullable Boolean safe) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("safe", safe);
		return request("active", arguments, ReplyReader::taskInfos);
	}

	/**
	 * Return the tasks the nodes received and have not started (ETA tasks excepted).
	 * @return the tasks by node
	 */
	public Map<String, List<TaskInfo>> reserved() {
		return request("reserved", Map.of(), ReplyReader::taskInfos);
	}

	/**
	 * Return the tasks the nodes hold until their ETA.
	 * @return the tasks by node
	 */
	public Map<String, List<ScheduledTask>> scheduled() {
		return request("scheduled", Map.of(), ReplyReader::scheduled);
	}

	/**
	 * Return the ids of the tasks the nodes know to be revoked.
	 * @return the task ids by node
	 */
	public Map<String, List<String>> revoked() {
		return request("revoked", Map.of(), ReplyReader::texts);
	}

	/**
	 * Return the task names the nodes execute, as {@code celery inspect registered}.
	 * @param taskInfoItems the task attributes to show next to each name, such as
	 * {@code rate_limit}; none for Celery's default ones
	 * @return the tasks by node: {@code "<name>"} or {@code "<name> [attr=value ...]"}
	 */
	public Map<String, List<String>> registered(String... taskInfoItems) {
		Assert.noNullElements(taskInfoItems, "'taskInfoItems' must not contain null");
		return request("registered", Map.of("taskinfoitems", List.of(taskInfoItems)), ReplyReader::texts);
	}

	/**
	 * Return the queues the nodes consume.
	 * @return the queues by node
	 */
	public Map<String, List<ActiveQueue>> activeQueues() {
		return request("active_queues", Map.of(), ReplyReader::activeQueues);
	}

	/**
	 * Return what the nodes know of the given tasks.
	 * @param ids the task ids
	 * @return by node, the known tasks by id
	 */
	public Map<String, Map<String, QueriedTask>> queryTask(String... ids) {
		Assert.notEmpty(ids, "'ids' must not be empty");
		Assert.noNullElements(ids, "'ids' must not contain null");
		return request("query_task", Map.of("ids", Arrays.asList(ids)), ReplyReader::queriedTasks);
	}

	/**
	 * Return the nodes' settings that differ from the defaults.
	 * @return the settings by node
	 */
	public Map<String, Map<String, @Nullable Object>> conf() {
		return request("conf", Map.of("with_defaults", false), (value) -> ReplyReader.map(value, "conf reply"));
	}

	/**
	 * Return the nodes' Lamport clocks.
	 * @return the clock values by node
	 */
	public Map<String, Long> clock() {
		return request("clock", Map.of(), ReplyReader::clock);
	}

	/**
	 * Return the nodes' bug report text (versions, settings).
	 * @return the report by node
	 */
	public Map<String, String> report() {
		return request("report", Map.of(), ReplyReader::okText);
	}

	private <T> Map<String, T> request(String method, Map<String, ?> arguments, Function<@Nullable Object, T> reader) {
		return ReplyReader.byNode(method, this.broadcaster.broadcast(method, arguments, this.target, true, this.timeout),
				reader);
	}

}
