package dev.taskqueue.worker;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.core.TaskContextHolder;
import dev.taskqueue.core.TaskRetry;
import dev.taskqueue.observation.TaskExecutionContext;
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

	private final TaskListeners listeners;

	private final ExecutionObservations observations;

	private long startNanos;

	TaskExecution(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, BooleanSupplier stopping,
			TaskArgumentBinder binder, ResultRecorder recorder, TaskRetrier retrier, RevokedTasks revokes,
			WorkerState state, Clock clock, @Nullable TimeLimitWatchdog watchdog, TaskListeners listeners,
			ExecutionObservations observations) {
		this.delivery = delivery;
		this.message = message;
		this.endpoint = endpoint;
		this.acksLate = endpoint.settings().acksLate();
		this.stopping = stopping;
		this.binder = binder;
		this.recorder = recorder;
		this.retrier = retrier;
		this.revokes = revokes;
		this.state = state;
		this.clock = clock;
		this.watchdog = watchdog;
		this.listeners = listeners;
		this.observations = observations;
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
		try (TaskMdc mdc = TaskMdc.put(this.message)) {
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
			this.listeners.taskRevoked(this.message, queue, false, true);
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
			this.listeners.taskRejected(this.message, queue, "TypeError: " + ex.getMessage());
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
		this.startNanos = System.nanoTime();
		this.listeners.taskStarted(this.message, queue);
		TaskExecutionContext observed = new TaskExecutionContext(this.message, queue);
		Observation observation = this.observations.start(observed);
		try {
			return observe(context, queue, arguments, observation, observed);
		}
		finally {
			observation.stop();
		}
	}

	private @Nullable Error observe(DefaultTaskContext context, String queue, @Nullable Object[] arguments,
			Observation observation, TaskExecutionContext observed) {
		boolean storeResult = !this.endpoint.settings().ignoreResult() && !this.message.headers().ignoreResult();
		if (this.endpoint.settings().trackStarted() && storeResult) {
			this.recorder.storeQuietly(() -> this.recorder.started(this.message, queue), this.message.id());
		}
		TimeLimitGuard limits = startTimeLimits(context, queue, storeResult);
		TaskOutcome invoked;
		boolean ownOutcome = true;
		try (Observation.Scope scope = observation.openScope()) {
			invoked = this.revokes.run(this.message.id(), () -> invoke(context, arguments, limits),
					TaskOutcome::revoked);
		}
		finally {
			// whatever happened, the clocks stop: a hard limit must not later take this thread
			if (limits != null) {
				ownOutcome = limits.finish();
			}
		}
		if (!ownOutcome) {
			// The hard time limit settled the task: what it returned late is discarded.
			observed.setState(CeleryStates.FAILURE);
			return invoked.fatal();
		}
		if (this.acksLate && invoked.failure() != null && interruptedByShutdown(invoked.failure())) {
			logger.warn("Task " + this.message.task() + "[" + this.message.id() + "] was interrupted because it ran "
					+ "past the worker's shutdown timeout; its message goes back to the broker, to run again");
			this.state.givenBack(this.message.id());
			this.delivery.requeue();
			observed.setState("REQUEUED");
			return null;
		}
		Throwable failure = invoked.failure();
		TaskRetry retry = (failure != null)
				? this.retrier.retryOf(failure, this.message, this.endpoint.settings().retry()) : null;
		ExceptionInfo exhausted = (retry != null)
				? this.retrier.exhausted(retry, this.message, this.endpoint.settings().retry()) : null;
		if (retry != null && exhausted == null) {
			this.retrier.retry(this.delivery, this.message, retry, this.endpoint.settings().retry(),
					new TaskRetrier.Settlement(queue, storeResult, this.acksLate, runtime()));
			observed.setState(CeleryStates.RETRY);
			return null;
		}
		TaskOutcome outcome = (retry != null && exhausted != null) ? TaskOutcome.failure(exhausted, retry.getException())
				: invoked;
		this.state.finished(this.message.id(), this.message.task(), outcome.state());
		if (storeResult || outcome.isRevoked()) {
			this.recorder.storeQuietly(() -> outcome.store(this.recorder, this.message, queue), this.message.id());
		}
		else {
			this.recorder.storeQuietly(() -> outcome.continueUnstored(this.recorder, this.message), this.message.id());
		}
		if (this.acksLate) {
			this.delivery.ack();
		}
		ended(outcome, queue);
		observed.setState(outcome.state());
		if (outcome.failure() != null) {
			observation.error(outcome.failure());
		}
		return outcome.fatal();
	}

	private void ended(TaskOutcome outcome, String queue) {
		if (outcome.isRevoked()) {
			this.listeners.taskRevoked(this.message, queue, "terminated".equals(outcome.result()), false);
		}
		else if (outcome.exception() != null) {
			this.listeners.taskFailed(this.message, queue, outcome.exception(), outcome.failure(), runtime());
		}
		else {
			this.listeners.taskSucceeded(this.message, queue, outcome.result(), runtime());
		}
	}

	private Duration runtime() {
		return Duration.ofNanos(System.nanoTime() - this.startNanos);
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
		try {
			this.state.finished(this.message.id(), this.message.task(), CeleryStates.FAILURE);
			if (storeResult) {
				this.recorder.storeQuietly(() -> this.recorder.failure(this.message, queue,
						limits.timeLimitExceeded(), null), this.message.id());
			}
			else {
				this.recorder.storeQuietly(() -> TaskOutcome.failure(limits.timeLimitExceeded(), null)
					.continueUnstored(this.recorder, this.message), this.message.id());
			}
		}
		finally {
			if (this.acksLate) {
				this.delivery.ack();
			}
			this.listeners.taskFailed(this.message, queue, limits.timeLimitExceeded(), null, runtime());
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
		return Thread.currentThread().isInterrupted() || TimeLimitGuard.isInterruption(failure);
	}

	private TaskOutcome invoke(DefaultTaskContext context, @Nullable Object[] arguments, @Nullable TimeLimitGuard limits) {
		try {
			return TaskOutcome.success(TaskContextHolder.callWith(context,
					() -> this.endpoint.method().invoke(this.endpoint.bean(), arguments)));
		}
		catch (Throwable ex) {
			Throwable cause = (ex instanceof InvocationTargetException target && target.getCause() != null)
					? target.getCause() : ex;
			if (limits != null) {
				cause = limits.translate(cause);
			}
			return TaskOutcome.failure(cause);
		}
	}

}
