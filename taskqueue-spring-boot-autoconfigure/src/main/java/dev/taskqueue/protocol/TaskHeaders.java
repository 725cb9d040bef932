package dev.taskqueue.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The headers of a Celery v2 task message. Headers this type does not name (custom headers
 * given with {@code apply_async(headers=...)}) are kept in {@link #extra()} in their order.
 *
 * @param lang implementation language of the sender ({@code "py"} for Celery)
 * @param task the registered task name
 * @param id the task id
 * @param shadow alternative name for logs, or {@code null}
 * @param eta earliest execution time, or {@code null}
 * @param expires time after which the task must not run, or {@code null}
 * @param group id of the group the task belongs to, or {@code null}
 * @param groupIndex position in the group, or {@code null}
 * @param retries number of retries already done
 * @param timeLimit hard and soft time limits
 * @param rootId id of the first task of the workflow
 * @param parentId id of the task that sent this one, or {@code null}
 * @param argsrepr printable form of the positional arguments
 * @param kwargsrepr printable form of the keyword arguments
 * @param origin node name of the sender
 * @param ignoreResult whether the worker skips storing the result
 * @param replacedTaskNesting depth of {@code Task.replace} (Celery 5.3.5+)
 * @param stampedHeaders names of stamp headers (Celery 5.3+), or {@code null}
 * @param stamps stamp values (Celery 5.3+)
 * @param extra custom headers, in order
 */
public record TaskHeaders(String lang, String task, String id, @Nullable String shadow, @Nullable Instant eta,
		@Nullable Instant expires, @Nullable String group, @Nullable Integer groupIndex, int retries,
		TimeLimit timeLimit, String rootId, @Nullable String parentId, @Nullable String argsrepr,
		@Nullable String kwargsrepr, @Nullable String origin, boolean ignoreResult, int replacedTaskNesting,
		@Nullable List<String> stampedHeaders, Map<String, Object> stamps, Map<String, Object> extra) {

	/**
	 * The furthest ahead an ETA may lie: 100 years. Farther ones are refused when sending and
	 * dead-lettered when received, since no timer can wait that long.
	 */
	public static final Duration MAX_ETA_AHEAD = Duration.ofDays(36_500);

	/** Names a task should be shown by: the shadow name when set, else the task name. */
	public String displayName() {
		return (this.shadow != null) ? this.shadow : this.task;
	}

}
