package dev.taskqueue.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Builds a task message the way Celery's {@code send_task} fills it: a new UUID4 id,
 * {@code root_id} equal to the id unless sent from inside another task, Python-style
 * {@code argsrepr}/{@code kwargsrepr}, {@code correlation_id} equal to the id, and an
 * {@code expiration} property when the task expires.
 */
public final class TaskMessageBuilder {

	private final String task;

	private String id = UUID.randomUUID().toString();

	private List<Object> args = List.of();

	private Map<String, Object> kwargs = Map.of();

	private Embed embed = Embed.NONE;

	private @Nullable Instant eta;

	private @Nullable Instant expires;

	private int priority;

	private @Nullable String replyTo;

	private @Nullable String origin;

	private @Nullable String rootId;

	private @Nullable String parentId;

	private @Nullable String shadow;

	private @Nullable String group;

	private @Nullable Integer groupIndex;

	private int retries;

	private TimeLimit timeLimit = TimeLimit.NONE;

	private boolean ignoreResult;

	private final Map<String, Object> extraHeaders = new LinkedHashMap<>();

	TaskMessageBuilder(String task) {
		Assert.hasText(task, "'task' must not be empty");
		this.task = task;
	}

	/**
	 * Start a message for the given task.
	 * @param task the task name
	 * @return a builder
	 */
	public static TaskMessageBuilder task(String task) {
		return new TaskMessageBuilder(task);
	}

	public TaskMessageBuilder id(String id) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		return this;
	}

	public TaskMessageBuilder args(List<?> args) {
		this.args = new ArrayList<>(args);
		return this;
	}

	public TaskMessageBuilder kwargs(Map<String, ?> kwargs) {
		this.kwargs = new LinkedHashMap<>(kwargs);
		return this;
	}

	public TaskMessageBuilder embed(Embed embed) {
		this.embed = embed;
		return this;
	}

	public TaskMessageBuilder eta(@Nullable Instant eta) {
		this.eta = eta;
		return this;
	}

	public TaskMessageBuilder expires(@Nullable Instant expires) {
		this.expires = expires;
		return this;
	}

	public TaskMessageBuilder priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 255, "'priority' must be between 0 and 255");
		this.priority = priority;
		return this;
	}

	public TaskMessageBuilder replyTo(@Nullable String replyTo) {
		this.replyTo = replyTo;
		return this;
	}

	public TaskMessageBuilder origin(@Nullable String origin) {
		this.origin = origin;
		return this;
	}

	/**
	 * Mark the message as sent from inside a running task.
	 * @param rootId the root id of the running task
	 * @param parentId the id of the running task
	 * @return this builder
	 */
	public TaskMessageBuilder parent(String rootId, String parentId) {
		this.rootId = rootId;
		this.parentId = parentId;
		return this;
	}

	public TaskMessageBuilder shadow(@Nullable String shadow) {
		this.shadow = shadow;
		return this;
	}

	public TaskMessageBuilder group(@Nullable String group, @Nullable Integer groupIndex) {
		this.group = group;
		this.groupIndex = groupIndex;
		return this;
	}

	public TaskMessageBuilder retries(int retries) {
		this.retries = retries;
		return this;
	}

	public TaskMessageBuilder timeLimit(TimeLimit timeLimit) {
		this.timeLimit = timeLimit;
		return this;
	}

	public TaskMessageBuilder ignoreResult(boolean ignoreResult) {
		this.ignoreResult = ignoreResult;
		return this;
	}

	public TaskMessageBuilder header(String name, @Nullable Object value) {
		Assert.hasText(name, "'name' must not be empty");
		this.extraHeaders.put(name, value);
		return this;
	}

	/**
	 * Build the message, computing the expiration property against the system clock.
	 * @return the message
	 */
	public TaskMessage build() {
		return build(Clock.systemUTC());
	}

	/**
	 * Build the message.
	 * @param clock the clock the expiration property is computed against
	 * @return the message
	 */
	public TaskMessage build(Clock clock) {
		String root = (this.rootId != null) ? this.rootId : this.id;
		TaskHeaders headers = new TaskHeaders("py", this.task, this.id, this.shadow, this.eta, this.expires, this.group,
				this.groupIndex, this.retries, this.timeLimit, root, this.parentId, PythonRepr.args(this.args),
				PythonRepr.kwargs(this.kwargs), this.origin, this.ignoreResult, 0, null, Map.of(),
				this.extraHeaders.isEmpty() ? Map.of() : new LinkedHashMap<>(this.extraHeaders));
		String expiration = (this.expires != null) ? expiration(clock.instant(), this.expires) : null;
		MessageProperties properties = new MessageProperties(this.id, this.replyTo, MessageProperties.PERSISTENT,
				this.priority, expiration);
		return new TaskMessage(headers, properties, this.args, this.kwargs, this.embed);
	}

	private static String expiration(Instant now, Instant expires) {
		long millis = Duration.between(now, expires).toMillis();
		return Long.toString(Math.max(0, millis));
	}

}
