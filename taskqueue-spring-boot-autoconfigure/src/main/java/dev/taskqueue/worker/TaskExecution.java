package dev.taskqueue.worker;

import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.core.TaskContextHolder;
import dev.taskqueue.core.TaskRetry;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Runs one task the way a Celery worker does: skip it when revoked or expired (REVOKED), bind
 * its arguments (FAILURE with a TypeError when they do not fit), acknowledge early unless
 * {@code acksLate}, store STARTED when tracked, invoke (where a terminating revoke can
 * interrupt it: REVOKED), store SUCCESS or FAILURE.
 */
final class TaskExecution implements Runnable {

	private static final Log logger = LogFactory.getLog(TaskExecution.class);

	private final Delivery delivery;

	private final TaskMessage message;

	private final TaskEndpoint endpoint;

	private final boolean acksLate;

	private final BooleanSupplier stopping;

	private final TaskArgumentBinder binder;

	private final ResultRecorder recorder;

	private final TaskRetrier retrier;

	private final RevokedTasks revokes;

	private final WorkerState state;

	private final Clock clock;

	private final @Nullable TimeLimitWatchdog watchdog;

	TaskExecution(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, boolean acksLate,
			BooleanSupplier stopping, TaskArgumentBinder binder, ResultRecorder recorder, TaskRetrier retrier,
			RevokedTasks revokes, WorkerState state, Clock clock, @Nullable TimeLimitWatchdog watchdog) {
		this.delivery = delivery;
		this.message = message;
		this.endpoint = endpoint;
		this.acksLate = acksLate;
		this.stopping = stopping;
		this.binder = binder;
		this.recorder = recorder;
		this.retrier = retrier;
		this.revokes = revokes;
		this.state = state;
		this.clock = clock;
		this.watchdog = watchdog;
	}

	/**
	 * Run the task. This is the consumer boundary of the pool thread: whatever the worker's own
	 * code throws, {@link Error}s included, the message is dead-lettered with the error (ignored
	 * when it was settled already). A JVM error the task itself threw reaches the pool thread
	 * once the task's state is recorded and its message settled.
	 */
	@Override
	public void run() {
		Error fatal;
		try {
			fatal = runTask();
		}
		catch (Throwable ex) {
			logger.error("Task " + this.message.task() + "[" + this.message.id() + "] failed in the worker; its "
					+ "message goes to the dead-letter place", ex);
			this.state.failed(ex);
			this.state.givenBack(this.message.id());
			this.delivery.deadLetter("Worker failed running the task: " + ex);
			return;
		}
		if (fatal != null) {
			this.state.failed(fatal);
			throw fatal;
		}
	}

	/**
	 * Run the task and settle its message.
	 * @return a JVM error the task threw, or {@code null}
	 */
	private @Nullable Error runTask() {
		this.state.unreserved();
		this.state.dequeued();
		if (this.stopping.getAsBoolean()) {
			this.delivery.requeue();
			return null;
		}
		if (!this.delivery.valid()) {
			logger.info("Task " + this.message.id() + " not run: the broker gave its message back and redelivers it");
			return null;
		}
		if (this.revokes.discard(this.delivery, this.message)) {
			return null;
		}
		String queue = this.delivery.queue();
		Instant expires = this.message.headers().expires();
		if (expires != null && !this.clock.instant().isBefore(expires)) {
			this.recorder.storeQuietly(() -> this.recorder.revoked(this.message, queue, "expired"), this.message.id());
			this.state.count(this.message.task(), CeleryStates.REVOKED);
			this.delivery.ack();
			return null;
		}
		DefaultTaskContext context = new DefaultTaskContext(this.message, queue, this.recorder);
		@Nullable Object[] arguments;
		try {
			arguments = this.binder.bind(this.endpoint, this.message.args(), this.message.kwargs(), context);
		}
		catch (TaskArgumentException ex) {
			logger.warn("Task " + this.message.id() + " rejected: " + ex.getMessage());
			this.state.rejected();
			this.delivery.deadLetter("TypeError: " + ex.getMessage());
			this.state.count(this.message.task(), CeleryStates.FAILURE);
			this.recorder.storeQuietly(() -> this.recorder.failure(this.message, queue,
					ExceptionInfo.python("builtins", "TypeError", ex.getMessage()), null), this.message.id());
			return null;
		}
		return execute(context, queue, arguments);
	}

	private @Nullable Error execute(DefaultTaskContext context, String queue, @Nullable Object[] arguments) {
		if (!this.acksLate) {
			this.delivery.ack();
		}
		this.state.started(new WorkerState.ActiveTask(this.message.id(), this.message.task(), this.message.argsrepr(),
				this.message.kwargsrepr(), this.clock.instant(), Thread.currentThread().getName()));
		boolean storeResult = !this.endpoint.settings().ignoreResult() && !this.message.headers().ignoreResult();
		if (this.endpoint.settings().trackStarted() && storeResult) {
			this.recorder.storeQuietly(() -> this.recorder.started(this.message, queue), this.message.id());
		}
		TimeLimitGuard limits = startTimeLimits(context, queue, storeResult);
		Outcome invoked = this.revokes.run(this.message.id(), () -> invoke(context, arguments, limits),
				Outcome::revoked);
		if (limits != null && !limits.finish()) {
			// The hard time limit settled the task: what it returned late is discarded.
			return invoked.fatal();
		}
		if (this.acksLate && invoked.failure() != null && interruptedByShutdown(invoked.failure())) {
			logger.warn("Task " + this.message.task() + "[" + this.message.id() + "] was interrupted because it ran "
					+ "past the worker's shutdown timeout; its message goes back to the broker, to run again");
			this.state.givenBack(this.message.id());
			this.delivery.requeue();
			return null;
		}
		Throwable failure = invoked.failure();
		TaskRetry retry = (failure != null)
				? this.retrier.retryOf(failure, this.message, this.endpoint.settings().retry()) : null;
		ExceptionInfo exhausted = (retry != null)
				? this.retrier.exhausted(retry, this.message, this.endpoint.settings().retry()) : null;
		if (retry != null && exhausted == null) {
			retry(retry, queue, storeResult);
			return null;
		}
		Outcome outcome = (retry != null && exhausted != null) ? Outcome.failure(exhausted, retry.getException())
				: invoked;
		this.state.finished(this.message.id(), this.message.task(), outcome.state());
		if (storeResult || outcome.isRevoked()) {
			this.recorder.storeQuietly(() -> outcome.store(this.recorder, this.message, queue), this.message.id());
		}
		if (this.acksLate) {
			this.delivery.ack();
		}
		return outcome.fatal();
	}

	/**
	 * Retry the task, as Celery's worker handles {@code Retry}: store RETRY first (so that it
	 * cannot overwrite the state of a retry that already ran), send the retry message, and
	 * settle this run's message once the broker took the retry. A retry that cannot be sent
	 * dead-letters the message, as Celery rejects it; when the message was acknowledged before
	 * the run, the task ends FAILURE with the reason instead.
	 * @param retry the retry the task asked for
	 * @param queue the queue the task came from
	 * @param storeResult whether the task stores its states
	 */
	private void retry(TaskRetry retry, String queue, boolean storeResult) {
		Instant eta = this.retrier.etaOf(retry, this.endpoint.settings().retry());
		if (storeResult) {
			this.recorder.storeQuietly(() -> this.recorder.retry(this.message, queue, retry, eta), this.message.id());
		}
		try {
			this.retrier.send(this.message, queue, eta);
		}
		catch (RuntimeException ex) {
			String reason = "The retry of task " + this.message.task() + "[" + this.message.id()
					+ "] could not be sent: " + ex.getMessage();
			logger.error(reason, ex);
			this.state.finished(this.message.id(), this.message.task(), CeleryStates.FAILURE);
			if (this.acksLate) {
				this.delivery.deadLetter(reason);
			}
			if (storeResult) {
				this.recorder.storeQuietly(() -> this.recorder.failure(this.message, queue,
						ExceptionInfo.python("celery.exceptions", "Reject", reason), ex), this.message.id());
			}
			return;
		}
		logger.info("Task " + this.message.task() + "[" + this.message.id() + "] retries at " + eta);
		this.state.finished(this.message.id(), this.message.task(), CeleryStates.RETRY);
		if (this.acksLate) {
			this.delivery.ack();
		}
	}

	/**
	 * Start the clocks of the task's time limits, if it has any.
	 * @param context the task's context, which reports the soft limit to the task
	 * @param queue the queue the message came from
	 * @param storeResult whether the task's result is stored
	 * @return the guard of the limits, or {@code null} when the task has none
	 */
	private @Nullable TimeLimitGuard startTimeLimits(DefaultTaskContext context, String queue, boolean storeResult) {
		TimeLimitGuard limits = (this.watchdog != null) ? this.watchdog.guard(this.message, this.endpoint.settings())
				: null;
		if (limits != null) {
			context.timeLimits(limits);
			limits.start(() -> timedOut(queue, storeResult, limits.limits()));
		}
		return limits;
	}

	/**
	 * The hard time limit passed: the task fails with Celery's {@code TimeLimitExceeded} and its
	 * message is acknowledged (Celery's {@code task_acks_on_failure_or_timeout}); its thread
	 * was abandoned and what it returns is discarded. Runs on the watchdog's thread.
	 * @param queue the queue the message came from
	 * @param storeResult whether the task's result is stored
	 * @param limits the run's time limits
	 */
	private void timedOut(String queue, boolean storeResult, TimeLimits limits) {
		this.state.finished(this.message.id(), this.message.task(), CeleryStates.FAILURE);
		if (storeResult) {
			this.recorder.storeQuietly(() -> this.recorder.failure(this.message, queue, limits.timeLimitExceeded(),
					null), this.message.id());
		}
		if (this.acksLate) {
			this.delivery.ack();
		}
	}

	/**
	 * Return whether the worker stopping interrupted the task (it acknowledges late: give it
	 * back).
	 * @param failure what the task threw
	 * @return whether the task was interrupted by the shutdown
	 */
	private boolean interruptedByShutdown(Throwable failure) {
		if (!this.stopping.getAsBoolean()) {
			return false;
		}
		if (Thread.currentThread().isInterrupted()) {
			return true;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InterruptedException || cause instanceof InterruptedIOException
					|| cause instanceof ClosedByInterruptException) {
				return true;
			}
		}
		return false;
	}

	private Outcome invoke(DefaultTaskContext context, @Nullable Object[] arguments, @Nullable TimeLimitGuard limits) {
		try {
			return Outcome.success(TaskContextHolder.callWith(context,
					() -> this.endpoint.method().invoke(this.endpoint.bean(), arguments)));
		}
		catch (Throwable ex) {
			Throwable cause = (ex instanceof InvocationTargetException target && target.getCause() != null)
					? target.getCause() : ex;
			if (limits != null) {
				cause = limits.translate(cause);
			}
			logger.info("Task " + this.message.task() + "[" + this.message.id() + "] failed: " + cause);
			return Outcome.failure(cause);
		}
	}

	/**
	 * How a task ended: its return value, or what it threw.
	 */
	private record Outcome(String state, @Nullable Object result, @Nullable Throwable failure,
			@Nullable ExceptionInfo exception) {

		static Outcome success(@Nullable Object result) {
			return new Outcome(CeleryStates.SUCCESS, result, null, null);
		}

		static Outcome failure(Throwable failure) {
			return new Outcome(CeleryStates.FAILURE, null, failure, TimeLimits.describe(failure));
		}

		static Outcome failure(ExceptionInfo exception, @Nullable Throwable failure) {
			return new Outcome(CeleryStates.FAILURE, null, failure, exception);
		}

		static Outcome revoked(String reason) {
			return new Outcome(CeleryStates.REVOKED, reason, null, null);
		}

		boolean isRevoked() {
			return CeleryStates.REVOKED.equals(this.state);
		}

		void store(ResultRecorder recorder, TaskMessage message, String queue) {
			if (isRevoked()) {
				recorder.revoked(message, queue, String.valueOf(this.result));
			}
			else if (this.exception != null) {
				recorder.failure(message, queue, this.exception, this.failure);
			}
			else {
				recorder.success(message, queue, this.result);
			}
		}

		/**
		 * Return a JVM error that must reach the pool thread after the task's state is recorded.
		 * @return the error, or {@code null}
		 */
		@Nullable Error fatal() {
			return (this.failure instanceof Error error && !(error instanceof AssertionError)) ? error : null;
		}

	}

}
