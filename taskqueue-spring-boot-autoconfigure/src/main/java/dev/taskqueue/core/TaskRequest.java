package dev.taskqueue.core;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.Assert;

import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TimeLimit;

/**
 * A task about to be sent, with Celery's {@code apply_async} options. Obtained from
 * {@link TaskOperations#task(String)}; not thread-safe.
 */
public final class TaskRequest {

	private final String name;

	private final RequestSender sender;

	private final List<Object> args = new ArrayList<>();

	private final Map<String, Object> kwargs = new LinkedHashMap<>();

	private final Map<String, Object> headers = new LinkedHashMap<>();

	private @Nullable String id;

	private @Nullable Duration countdown;

	private @Nullable Instant eta;

	private @Nullable Duration expiresIn;

	private @Nullable Instant expiresAt;

	private @Nullable String queue;

	private int priority;

	private boolean ignoreResult;

	private @Nullable Duration timeLimit;

	private @Nullable Duration softTimeLimit;

	TaskRequest(String name, RequestSender sender) {
		this.name = name;
		this.sender = sender;
	}

	/**
	 * Set the positional arguments, JSON-serializable; replaces earlier ones.
	 * @param args the positional arguments
	 * @return this request
	 */
	public TaskRequest args(@Nullable Object... args) {
		this.args.clear();
		this.args.addAll(Arrays.asList(args));
		return this;
	}

	/**
	 * Set the positional arguments, JSON-serializable; replaces earlier ones.
	 * @param args the positional arguments
	 * @return this request
	 */
	public TaskRequest args(List<?> args) {
		this.args.clear();
		this.args.addAll(args);
		return this;
	}

	/**
	 * Add keyword arguments, JSON-serializable, to earlier ones.
	 * @param kwargs the keyword arguments, by name
	 * @return this request
	 */
	public TaskRequest kwargs(Map<String, ?> kwargs) {
		this.kwargs.putAll(kwargs);
		return this;
	}

	/**
	 * Add one keyword argument.
	 * @param name the argument name
	 * @param value the argument value, JSON-serializable
	 * @return this request
	 */
	public TaskRequest kwarg(String name, @Nullable Object value) {
		Assert.hasText(name, "'name' must not be empty");
		this.kwargs.put(name, value);
		return this;
	}

	/**
	 * Set the task id to use instead of a new UUID.
	 * @param id the task id
	 * @return this request
	 */
	public TaskRequest id(String id) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		return this;
	}

	/**
	 * Run no sooner than this long from now; replaces an {@link #eta(Instant) eta}.
	 * @param countdown how long from now to wait at least
	 * @return this request
	 * @throws IllegalArgumentException when negative or more than
	 * {@link TaskHeaders#MAX_ETA_AHEAD} (100 years)
	 */
	public TaskRequest countdown(Duration countdown) {
		Assert.isTrue(!countdown.isNegative(), () -> "countdown must not be negative, got " + countdown);
		Assert.isTrue(countdown.compareTo(TaskHeaders.MAX_ETA_AHEAD) <= 0,
				() -> "countdown must not be more than " + TaskHeaders.MAX_ETA_AHEAD.toDays() + " days, got "
						+ countdown);
		this.countdown = countdown;
		this.eta = null;
		return this;
	}

	/**
	 * Run no sooner than this instant; replaces a {@link #countdown(Duration) countdown}.
	 * @param eta the earliest time to run
	 * @return this request
	 * @throws IllegalArgumentException when more than {@link TaskHeaders#MAX_ETA_AHEAD} (100
	 * years) ahead
	 */
	public TaskRequest eta(Instant eta) {
		Assert.notNull(eta, "'eta' must not be null");
		Assert.isTrue(!eta.isAfter(Instant.now().plus(TaskHeaders.MAX_ETA_AHEAD)),
				() -> "eta must not be more than " + TaskHeaders.MAX_ETA_AHEAD.toDays() + " days ahead, got " + eta);
		this.eta = eta;
		this.countdown = null;
		return this;
	}

	/**
	 * Do not run once this long has passed from now; the task then ends REVOKED.
	 * @param expires how long from now the task expires
	 * @return this request
	 */
	public TaskRequest expires(Duration expires) {
		Assert.isTrue(!expires.isNegative(), () -> "expires must not be negative, got " + expires);
		this.expiresIn = expires;
		this.expiresAt = null;
		return this;
	}

	/**
	 * Do not run after this instant; the task then ends REVOKED.
	 * @param expires the instant the task expires
	 * @return this request
	 */
	public TaskRequest expires(Instant expires) {
		this.expiresAt = expires;
		this.expiresIn = null;
		return this;
	}

	/**
	 * Set the queue to send to, instead of the routed one.
	 * @param queue the queue name
	 * @return this request
	 */
	public TaskRequest queue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		this.queue = queue;
		return this;
	}

	/**
	 * Set the message priority, 0 to 255 (Redis uses 0 to 9, lower first; RabbitMQ higher
	 * first).
	 * @param priority the message priority
	 * @return this request
	 */
	public TaskRequest priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 255, () -> "priority must be between 0 and 255, got " + priority);
		this.priority = priority;
		return this;
	}

	/**
	 * Set the hard time limit of this run, as Celery's {@code apply_async(time_limit=...)}:
	 * the worker stops waiting for the task after this long and stores FAILURE with
	 * {@code TimeLimitExceeded}. Sent in the {@code timelimit} header, it wins over the task's
	 * own time limit.
	 * @param timeLimit the hard time limit, positive
	 * @return this request
	 */
	public TaskRequest timeLimit(Duration timeLimit) {
		Assert.isTrue(positive(timeLimit), () -> "timeLimit must be positive, got " + timeLimit);
		this.timeLimit = timeLimit;
		return this;
	}

	/**
	 * Set the soft time limit of this run, as Celery's
	 * {@code apply_async(soft_time_limit=...)}: after this long the worker interrupts the task,
	 * which may clean up ({@link TaskContext#softTimeLimitExceeded()}). Sent in the
	 * {@code timelimit} header, it wins over the task's own soft time limit.
	 * @param softTimeLimit the soft time limit, positive
	 * @return this request
	 */
	public TaskRequest softTimeLimit(Duration softTimeLimit) {
		Assert.isTrue(positive(softTimeLimit), () -> "softTimeLimit must be positive, got " + softTimeLimit);
		this.softTimeLimit = softTimeLimit;
		return this;
	}

	private static boolean positive(@Nullable Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	/**
	 * Set every option the given options set, replacing this request's; options they do not
	 * set stay as they are. {@link TaskOptions#timeout()} is not a message option and is ignored.
	 * @param options the options
	 * @return this request
	 */
	public TaskRequest options(TaskOptions options) {
		Assert.notNull(options, "'options' must not be null");
		options.applyTo(this);
		return this;
	}

	/**
	 * Add a custom message header.
	 * @param name the header name
	 * @param value the header value
	 * @return this request
	 */
	public TaskRequest header(String name, @Nullable Object value) {
		Assert.hasText(name, "'name' must not be empty");
		this.headers.put(name, value);
		return this;
	}

	/**
	 * Ask the worker not to store the result.
	 * @param ignoreResult whether the worker should not store the result
	 * @return this request
	 */
	public TaskRequest ignoreResult(boolean ignoreResult) {
		this.ignoreResult = ignoreResult;
		return this;
	}

	/**
	 * Send the task. When the template sends after commit by default
	 * ({@link TaskTemplate#setSendAfterCommit(boolean)}), this behaves as
	 * {@link #sendAfterCommit()}.
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent (its message says whether it may have gone out)
	 */
	public AsyncResult<Object> send() {
		return send(Object.class);
	}

	/**
	 * Send the task, converting its result to the given type.
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent (its message says whether it may have gone out)
	 */
	public <T> AsyncResult<T> send(Class<T> resultType) {
		return this.sender.send(this, resultType, false);
	}

	/**
	 * Send the task, converting its result to the given generic type, such as
	 * {@code new ParameterizedTypeReference<List<Order>>() {}}.
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent (its message says whether it may have gone out)
	 */
	public <T> AsyncResult<T> send(ParameterizedTypeReference<T> resultType) {
		return this.sender.send(this, resultType.getType(), false);
	}

	/**
	 * Send the task once the current Spring transaction commits, and not at all if it rolls
	 * back (Celery's {@code delay_on_commit}). The message is built and checked now, so bad
	 * arguments still throw here; the returned handle carries the task id at once. Outside a
	 * transaction, or without spring-tx, the task is sent immediately.
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent; nothing will be sent
	 */
	public AsyncResult<Object> sendAfterCommit() {
		return sendAfterCommit(Object.class);
	}

	/**
	 * Send the task once the current Spring transaction commits, converting its result to the
	 * given type; see {@link #sendAfterCommit()}.
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the result handle
	 * @throws TaskSendException when the task cannot be sent; nothing will be sent
	 */
	public <T> AsyncResult<T> sendAfterCommit(Class<T> resultType) {
		return this.sender.send(this, resultType, true);
	}

	/**
	 * Send the task without waiting for the broker to take it, so that many tasks are on
	 * their way at once. The future completes with the result handle once the broker took
	 * the message (on RabbitMQ with publisher confirms, once it confirmed it), or
	 * exceptionally with a {@link TaskSendException} saying why it was not sent, or may not
	 * have been. When the broker's in-flight window is full
	 * ({@code taskqueue.broker.amqp.max-in-flight} messages waiting for their confirm, or
	 * {@code taskqueue.broker.redis.max-in-flight} for Redis's reply), this call waits for
	 * room (back-pressure), no longer than the confirm or command timeout. After commit as {@link #send()}: the future then completes once the
	 * message was published after the commit.
	 * <p>
	 * The future may complete on the broker's I/O thread: use the {@code *Async} stages of
	 * {@link CompletableFuture} for work that blocks, such as waiting for the task's result.
	 * @return the future of the result handle
	 */
	public CompletableFuture<AsyncResult<Object>> sendAsync() {
		return sendAsync(Object.class);
	}

	/**
	 * Send the task without waiting for the broker to take it, converting its result to the
	 * given type; see {@link #sendAsync()}.
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the future of the result handle
	 */
	public <T> CompletableFuture<AsyncResult<T>> sendAsync(Class<T> resultType) {
		return this.sender.sendAsync(this, resultType);
	}

	/**
	 * Send the task without waiting for the broker to take it, converting its result to the
	 * given generic type; see {@link #sendAsync()}.
	 * @param resultType the result type
	 * @param <T> the result type
	 * @return the future of the result handle
	 */
	public <T> CompletableFuture<AsyncResult<T>> sendAsync(ParameterizedTypeReference<T> resultType) {
		return this.sender.sendAsync(this, resultType.getType());
	}

	String name() {
		return this.name;
	}

	List<Object> args() {
		return this.args;
	}

	Map<String, Object> kwargs() {
		return this.kwargs;
	}

	Map<String, Object> headers() {
		return this.headers;
	}

	@Nullable String id() {
		return this.id;
	}

	@Nullable Instant resolveEta(Instant now) {
		return (this.countdown != null) ? now.plus(this.countdown) : this.eta;
	}

	@Nullable Instant resolveExpires(Instant now) {
		return (this.expiresIn != null) ? now.plus(this.expiresIn) : this.expiresAt;
	}

	@Nullable String queue() {
		return this.queue;
	}

	int priority() {
		return this.priority;
	}

	boolean ignoreResult() {
		return this.ignoreResult;
	}

	/**
	 * Return the {@code timelimit} header.
	 * @return {@code [hard, soft]} in seconds, as Celery writes it
	 */
	TimeLimit timeLimits() {
		if (this.timeLimit == null && this.softTimeLimit == null) {
			return TimeLimit.NONE;
		}
		return new TimeLimit(seconds(this.timeLimit), seconds(this.softTimeLimit));
	}

	private static @Nullable Double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.getSeconds() + duration.getNano() / 1e9 : null;
	}

	/** Sends a completed request; implemented inside the template. */
	interface RequestSender {

		<T> AsyncResult<T> send(TaskRequest request, Type resultType, boolean afterCommit);

		<T> CompletableFuture<AsyncResult<T>> sendAsync(TaskRequest request, Type resultType);

	}

}
