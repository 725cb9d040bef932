package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.core.TaskRetry;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * Celery's retry, on the worker's side: decides whether what a task threw is a retry (a
 * {@link TaskRetry}, or an exception of its {@code autoretryFor}), whether a retry is left, when
 * the retry runs, and sends the retry message to the queue the task came from.
 */
final class TaskRetrier {

	private static final Log logger = LogFactory.getLog(TaskRetrier.class);

	private final Publisher publisher;

	private final ResultRecorder recorder;

	private final WorkerState state;

	private final Clock clock;

	private final RandomGenerator random;

	private final String origin;

	private final TaskListeners listeners;

	TaskRetrier(Publisher publisher, ResultRecorder recorder, WorkerState state, Clock clock, RandomGenerator random,
			String origin, TaskListeners listeners) {
		this.publisher = publisher;
		this.recorder = recorder;
		this.state = state;
		this.clock = clock;
		this.random = random;
		this.origin = origin;
		this.listeners = listeners;
	}

	/**
	 * A retrier that publishes retries through a broker.
	 * @param broker the broker
	 * @param codec encodes retry messages
	 * @param recorder stores the states of retrying tasks
	 * @param state where the worker counts retries
	 * @param clock the clock
	 * @param listeners told of retries
	 * @return the retrier
	 */
	static TaskRetrier publishingTo(Broker broker, MessageCodec codec, ResultRecorder recorder, WorkerState state,
			Clock clock, TaskListeners listeners) {
		// straight to the queue the task came from, without declaring it: it exists, perhaps
		// with arguments (priority, quorum) a declaration with Celery's defaults would contradict
		return new TaskRetrier((message, queue) -> broker
			.publish(new OutboundMessage(codec.encode(message), new Destination("", queue))), recorder, state,
				clock, RandomGenerator.getDefault(), NodeNames.client(), listeners);
	}

	/**
	 * Return the retry a failure asks for.
	 * @param failure what the task threw
	 * @param message the task's message
	 * @param policy how the task retries
	 * @return the retry, or {@code null} when the failure is no retry
	 */
	@Nullable TaskRetry retryOf(Throwable failure, TaskMessage message, RetryPolicy policy) {
		if (failure instanceof TaskRetry retry) {
			return retry;
		}
		if (!policy.autoretries(failure)) {
			return null;
		}
		TaskRetry retry = TaskRetry.of(message.task()).exception(failure);
		Duration backoff = policy.backoff(message.headers().retries(), this.random);
		return (backoff != null) ? retry.countdown(backoff) : retry;
	}

	/**
	 * Return what the task fails with when no retry is left, or {@code null} when one is.
	 * @param retry the retry
	 * @param message the task's message
	 * @param policy how the task retries
	 * @return the exception the task fails with, or {@code null} to retry
	 */
	@Nullable ExceptionInfo exhausted(TaskRetry retry, TaskMessage message, RetryPolicy policy) {
		if (!policy.exceeded(message.headers().retries() + 1, retry.getMaxRetries())) {
			return null;
		}
		Throwable exception = retry.getException();
		return (exception != null) ? TimeLimits.describe(exception)
				: ExceptionInfo.python("celery.exceptions", "MaxRetriesExceededError", "Can't retry " + message.task()
						+ "[" + message.id() + "] args:" + message.argsrepr() + " kwargs:" + message.kwargsrepr());
	}

	/**
	 * Return when a retry runs: its ETA, or now plus its countdown or the default delay.
	 * @param retry the retry
	 * @param policy how the task retries
	 * @return the ETA of the retry
	 */
	Instant etaOf(TaskRetry retry, RetryPolicy policy) {
		Instant eta = retry.getEta();
		if (eta != null) {
			return eta;
		}
		Duration countdown = retry.getCountdown();
		return this.clock.instant().plus((countdown != null) ? countdown : policy.defaultRetryDelay());
	}

	/**
	 * Retry a task, as Celery's worker handles {@code Retry}: store RETRY first (so that it
	 * cannot overwrite the state of a retry that already ran), send the retry message, and
	 * settle this run's message once the broker took the retry. A retry that cannot be sent
	 * dead-letters the message, as Celery rejects it, and the task ends FAILURE with the reason.
	 * @param delivery the delivery of the run that retries
	 * @param message its message
	 * @param retry the retry the task asked for
	 * @param policy how the task retries
	 * @param settlement how the run's message and states are settled
	 */
	void retry(Delivery delivery, TaskMessage message, TaskRetry retry, RetryPolicy policy, Settlement settlement) {
		Instant eta = etaOf(retry, policy);
		String queue = settlement.queue();
		if (settlement.storeResult()) {
			this.recorder.storeQuietly(() -> this.recorder.retry(message, queue, retry, eta), message.id());
		}
		try {
			send(message, queue, eta);
		}
		catch (RuntimeException ex) {
			String reason = "The retry of task " + message.task() + "[" + message.id() + "] could not be sent: "
					+ ex.getMessage();
			logger.error(reason, ex);
			this.state.finished(message.id(), message.task(), CeleryStates.FAILURE);
			if (settlement.acksLate()) {
				delivery.deadLetter(reason);
			}
			ExceptionInfo rejected = ExceptionInfo.python("celery.exceptions", "Reject", reason);
			if (settlement.storeResult()) {
				this.recorder.storeQuietly(() -> this.recorder.failure(message, queue, rejected, ex), message.id());
			}
			this.listeners.taskFailed(message, queue, rejected, ex, settlement.runtime());
			return;
		}
		this.state.finished(message.id(), message.task(), CeleryStates.RETRY);
		if (settlement.acksLate()) {
			delivery.ack();
		}
		this.listeners.taskRetried(message, queue, ResultRecorder.retryReason(retry, eta), retry.getException(),
				settlement.runtime());
	}

	/**
	 * Send the retry message and return once the broker has taken it.
	 * @param message the message of the run that retries
	 * @param queue the queue it came from
	 * @param eta when the retry runs
	 * @return the retry message sent
	 */
	TaskMessage send(TaskMessage message, String queue, Instant eta) {
		TaskMessage retry = message.retry(eta, this.origin, this.clock.instant());
		this.publisher.publish(retry, queue);
		return retry;
	}

	/**
	 * How the message and the states of a run are settled.
	 *
	 * @param queue the queue the message came from
	 * @param storeResult whether the task stores its states
	 * @param acksLate whether the message is still to be acknowledged
	 * @param runtime how long the run took
	 */
	record Settlement(String queue, boolean storeResult, boolean acksLate, Duration runtime) {
	}

	/** Sends a retry message to a queue. */
	@FunctionalInterface
	interface Publisher {

		void publish(TaskMessage message, String queue);

	}

}
