package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.TaskHeaders;

/**
 * Celery's {@code apply_async} options as a value, to pass around and layer: give one to a
 * {@link dev.taskqueue.client.TaskClient task client} method as a parameter to set options
 * per call, or apply one to a {@link TaskRequest#options(TaskOptions) request} or a
 * {@link Signature#options(TaskOptions) signature}. Immutable: every method returns new
 * options; an option not set here leaves the other source's in place.
 *
 * <pre class="code">
 * Invoice invoice = billing.invoice(customerId, amount, TaskOptions.none().priority(9).countdown(Duration.ofSeconds(5)));
 * </pre>
 *
 * @param queue the queue to send to instead of the routed one
 * @param countdown how long after sending to run at the earliest
 * @param eta when to run at the earliest
 * @param expiresIn how long after sending the task expires
 * @param expiresAt when the task expires
 * @param priority the message priority, 0 to 255
 * @param timeLimit the hard time limit of the run
 * @param softTimeLimit the soft time limit of the run
 * @param ignoreResult whether the worker does not store the result
 * @param taskId the task id to use instead of a new UUID
 * @param timeout how long a task client waits for the result; not a message option
 */
public record TaskOptions(@Nullable String queue, @Nullable Duration countdown, @Nullable Instant eta,
		@Nullable Duration expiresIn, @Nullable Instant expiresAt, @Nullable Integer priority,
		@Nullable Duration timeLimit, @Nullable Duration softTimeLimit, @Nullable Boolean ignoreResult,
		@Nullable String taskId, @Nullable Duration timeout) {

	private static final TaskOptions NONE = new TaskOptions(null, null, null, null, null, null, null, null, null,
			null, null);

	/**
	 * Check that at most one start and one expiry are set.
	 */
	public TaskOptions {
		Assert.isTrue(countdown == null || eta == null, "Set a countdown or an eta, not both");
		Assert.isTrue(expiresIn == null || expiresAt == null, "Set expires as a duration or an instant, not both");
	}

	/**
	 * No option set, to start from.
	 * @return options that change nothing
	 */
	public static TaskOptions none() {
		return NONE;
	}

	/**
	 * Send to this queue instead of the routed one.
	 * @param queue the queue name
	 * @return the options
	 */
	public TaskOptions queue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return new TaskOptions(queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Run no sooner than this long after sending; replaces an {@link #eta(Instant) eta}.
	 * @param countdown how long to wait at least
	 * @return the options
	 * @throws IllegalArgumentException when negative or more than 100 years
	 */
	public TaskOptions countdown(Duration countdown) {
		Assert.isTrue(!countdown.isNegative() && countdown.compareTo(TaskHeaders.MAX_ETA_AHEAD) <= 0,
				() -> "countdown must be between 0 and " + TaskHeaders.MAX_ETA_AHEAD.toDays() + " days, got "
						+ countdown);
		return new TaskOptions(this.queue, countdown, null, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Run no sooner than this instant; replaces a {@link #countdown(Duration) countdown}.
	 * @param eta the earliest time to run
	 * @return the options
	 */
	public TaskOptions eta(Instant eta) {
		Assert.notNull(eta, "'eta' must not be null");
		return new TaskOptions(this.queue, null, eta, this.expiresIn, this.expiresAt, this.priority, this.timeLimit,
				this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Do not run once this long has passed after sending; the task then ends REVOKED.
	 * @param expires how long after sending the task expires
	 * @return the options
	 */
	public TaskOptions expires(Duration expires) {
		Assert.isTrue(!expires.isNegative(), () -> "expires must not be negative, got " + expires);
		return new TaskOptions(this.queue, this.countdown, this.eta, expires, null, this.priority, this.timeLimit,
				this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Do not run after this instant; the task then ends REVOKED.
	 * @param expires the instant the task expires
	 * @return the options
	 */
	public TaskOptions expires(Instant expires) {
		Assert.notNull(expires, "'expires' must not be null");
		return new TaskOptions(this.queue, this.countdown, this.eta, null, expires, this.priority, this.timeLimit,
				this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Set the message priority, 0 to 255 (Redis uses 0 to 9, lower first; RabbitMQ higher first).
	 * @param priority the priority
	 * @return the options
	 */
	public TaskOptions priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 255, () -> "priority must be between 0 and 255, got " + priority);
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, priority,
				this.timeLimit, this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Set the hard time limit of this run; see {@link TaskRequest#timeLimit(Duration)}.
	 * @param timeLimit the hard time limit, positive
	 * @return the options
	 */
	public TaskOptions timeLimit(Duration timeLimit) {
		Assert.isTrue(positive(timeLimit), () -> "timeLimit must be positive, got " + timeLimit);
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				timeLimit, this.softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Set the soft time limit of this run; see {@link TaskRequest#softTimeLimit(Duration)}.
	 * @param softTimeLimit the soft time limit, positive
	 * @return the options
	 */
	public TaskOptions softTimeLimit(Duration softTimeLimit) {
		Assert.isTrue(positive(softTimeLimit), () -> "softTimeLimit must be positive, got " + softTimeLimit);
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, softTimeLimit, this.ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Ask the worker not to store the result, or to store it when another source asked not to.
	 * @param ignoreResult whether the worker should not store the result
	 * @return the options
	 */
	public TaskOptions ignoreResult(boolean ignoreResult) {
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, this.softTimeLimit, ignoreResult, this.taskId, this.timeout);
	}

	/**
	 * Use this task id instead of a new UUID, for example to make a send idempotent.
	 * @param taskId the task id
	 * @return the options
	 */
	public TaskOptions taskId(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, this.softTimeLimit, this.ignoreResult, taskId, this.timeout);
	}

	/**
	 * Wait this long for the result where the caller waits: a task client method that returns
	 * the result itself or a {@link java.util.concurrent.CompletableFuture}. Not a message
	 * option: requests and signatures ignore it.
	 * @param timeout how long to wait, positive
	 * @return the options
	 */
	public TaskOptions timeout(Duration timeout) {
		Assert.isTrue(positive(timeout), () -> "timeout must be positive, got " + timeout);
		return new TaskOptions(this.queue, this.countdown, this.eta, this.expiresIn, this.expiresAt, this.priority,
				this.timeLimit, this.softTimeLimit, this.ignoreResult, this.taskId, timeout);
	}

	/**
	 * Return these options with every option the other sets replacing this one's.
	 * @param other the options that win
	 * @return the layered options
	 */
	public TaskOptions overriddenBy(TaskOptions other) {
		boolean otherStart = other.countdown != null || other.eta != null;
		boolean otherExpiry = other.expiresIn != null || other.expiresAt != null;
		return new TaskOptions(or(other.queue, this.queue), otherStart ? other.countdown : this.countdown,
				otherStart ? other.eta : this.eta, otherExpiry ? other.expiresIn : this.expiresIn,
				otherExpiry ? other.expiresAt : this.expiresAt, or(other.priority, this.priority),
				or(other.timeLimit, this.timeLimit), or(other.softTimeLimit, this.softTimeLimit),
				or(other.ignoreResult, this.ignoreResult), or(other.taskId, this.taskId),
				or(other.timeout, this.timeout));
	}

	/**
	 * Set these options on a request; options not set here keep the request's.
	 * @param request the request
	 */
	void applyTo(TaskRequest request) {
		if (this.queue != null) {
			request.queue(this.queue);
		}
		if (this.countdown != null) {
			request.countdown(this.countdown);
		}
		if (this.eta != null) {
			request.eta(this.eta);
		}
		if (this.expiresIn != null) {
			request.expires(this.expiresIn);
		}
		if (this.expiresAt != null) {
			request.expires(this.expiresAt);
		}
		if (this.priority != null) {
			request.priority(this.priority);
		}
		if (this.timeLimit != null) {
			request.timeLimit(this.timeLimit);
		}
		if (this.softTimeLimit != null) {
			request.softTimeLimit(this.softTimeLimit);
		}
		if (this.ignoreResult != null) {
			request.ignoreResult(this.ignoreResult);
		}
		if (this.taskId != null) {
			request.id(this.taskId);
		}
	}

	/**
	 * Set these options on a signature; options not set here keep the signature's.
	 * @param signature the signature
	 * @return the signature with the options
	 */
	Signature applyTo(Signature signature) {
		Signature result = signature;
		if (this.queue != null) {
			result = result.queue(this.queue);
		}
		if (this.countdown != null) {
			result = result.set("eta", null).countdown(this.countdown);
		}
		if (this.eta != null) {
			result = result.set("countdown", null).eta(this.eta);
		}
		if (this.expiresIn != null) {
			result = result.expires(this.expiresIn);
		}
		if (this.expiresAt != null) {
			result = result.set("expires", CeleryTime.format(this.expiresAt));
		}
		if (this.priority != null) {
			result = result.priority(this.priority);
		}
		if (this.timeLimit != null) {
			result = result.set("time_limit", seconds(this.timeLimit));
		}
		if (this.softTimeLimit != null) {
			result = result.set("soft_time_limit", seconds(this.softTimeLimit));
		}
		if (this.ignoreResult != null) {
			result = result.set("ignore_result", this.ignoreResult);
		}
		return (this.taskId != null) ? result.taskId(this.taskId) : result;
	}

	private static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	private static boolean positive(@Nullable Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static <T> @Nullable T or(@Nullable T first, @Nullable T second) {
		return (first != null) ? first : second;
	}

}
