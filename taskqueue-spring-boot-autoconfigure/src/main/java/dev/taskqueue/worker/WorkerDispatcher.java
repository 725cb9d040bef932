package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Receives deliveries and decides what becomes of each: invalid messages, unknown tasks and
 * ETAs beyond {@link TaskHeaders#MAX_ETA_AHEAD} go to the dead-letter place with the reason;
 * revoked tasks are discarded (on arrival and again when their ETA comes, see
 * {@link RevokedTasks}); messages delivered again after their worker was lost are settled by
 * the {@link RedeliveryGuard} when they must not run again; tasks with a future ETA are held
 * unacknowledged until due; tasks over their rate limit wait in the {@link RateLimiter}; all
 * others are queued for execution.
 * <p>
 * A held task is {@link Delivery#defer() deferred} (taken out of the prefetch window, as
 * Celery raises its QoS window for each ETA task) while fewer than {@code maxHeldEta} are;
 * past that, held tasks keep their prefetch slots and fetching pauses once they fill the
 * window, until some come due. Anything thrown reaches the transport's
 * {@link dev.taskqueue.broker.GuardedDeliveryHandler}, which reports it here and
 * dead-letters the delivery.
 */
final class WorkerDispatcher implements DeliveryHandler {

	private static final Log logger = LogFactory.getLog(WorkerDispatcher.class);

	private final TaskRegistry registry;

	private final TaskExecutionFactory executions;

	private final ResultRecorder recorder;

	private final RevokedTasks revokes;

	private final WorkerState state;

	private final Executor executor;

	private final ScheduledExecutorService timer;

	private final Clock clock;

	private final RedeliveryGuard redeliveries;

	private final Map<Delivery, Held> held = new ConcurrentHashMap<>();

	private final DeferralBudget deferrals;

	private final RateLimiter rateLimiter;

	private final TaskListeners listeners;

	private final TaskRequests requests;

	private volatile boolean stopping;

	private final BooleanSupplier isStopping = () -> this.stopping;

	WorkerDispatcher(TaskRegistry registry, TaskExecutionFactory executions, ResultRecorder recorder,
			RevokedTasks revokes, RedeliveryGuard redeliveries, WorkerState state, Executor executor,
			ScheduledExecutorService timer, Clock clock, int maxHeldEta, @Nullable SharedTokenBuckets tokenBuckets,
			TaskListeners listeners) {
		this.registry = registry;
		this.executions = executions;
		this.recorder = recorder;
		this.revokes = revokes;
		this.state = state;
		this.executor = executor;
		this.timer = timer;
		this.clock = clock;
		this.deferrals = new DeferralBudget(maxHeldEta);
		this.rateLimiter = new RateLimiter(registry, tokenBuckets, timer, maxHeldEta, state, this::submit);
		this.redeliveries = redeliveries;
		this.listeners = listeners;
		this.requests = new TaskRequests(clock);
	}

	@Override
	public void onDelivery(Delivery delivery) {
		TaskMessage message;
		try {
			message = delivery.message();
		}
		catch (MessageDecodingException ex) {
			reject(delivery, null, "Invalid task message: " + ex.getMessage());
			return;
		}
		if (this.revokes.discard(delivery, message)) {
			return;
		}
		TaskEndpoint endpoint = this.registry.find(message.task());
		if (endpoint == null) {
			refuse(delivery, message, "Task '" + message.task() + "' is not registered on this worker",
					ExceptionInfo.python("celery.exceptions", "NotRegistered", message.task()));
			return;
		}
		if (this.redeliveries.settled(delivery, message, endpoint)) {
			return;
		}
		Duration delay = delayOf(message.headers().eta());
		if (delay == null) {
			String reason = "ETA " + message.headers().eta() + " is more than " + TaskHeaders.MAX_ETA_AHEAD.toDays()
					+ " days ahead";
			refuse(delivery, message, reason, ExceptionInfo.python("builtins", "ValueError", reason));
			return;
		}
		this.state.reserved();
		this.listeners.taskReceived(message, delivery.queue());
		this.requests.received(delivery, message, delay);
		if (delay.isZero()) {
			start(delivery, message, endpoint);
		}
		else {
			hold(delivery, message, endpoint, delay);
		}
	}

	/**
	 * Return how long to wait, zero for now, or {@code null} when the ETA is too far ahead.
	 * @param eta the ETA, or {@code null}
	 * @return the delay, or {@code null}
	 */
	private @Nullable Duration delayOf(@Nullable Instant eta) {
		if (eta == null) {
			return Duration.ZERO;
		}
		Duration delay = Duration.between(this.clock.instant(), eta);
		if (delay.compareTo(TaskHeaders.MAX_ETA_AHEAD) > 0) {
			return null;
		}
		return delay.isNegative() ? Duration.ZERO : delay;
	}

	private void hold(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, Duration delay) {
		boolean outsideWindow = this.deferrals.defer(delivery);
		Held entry = new Held(outsideWindow);
		this.held.put(delivery, entry);
		try {
			entry.due = this.timer.schedule(() -> due(delivery, entry, message, endpoint), delay.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			giveBack(delivery, entry);
		}
	}

	/**
	 * The ETA has come: submit the task. Runs on the timer, whose future would swallow anything
	 * thrown, so a failure gives the message back to the broker here.
	 * @param delivery the delivery of the message
	 * @param entry the entry of the held message
	 * @param message the task message
	 * @param endpoint the task to run
	 */
	private void due(Delivery delivery, Held entry, TaskMessage message, TaskEndpoint endpoint) {
		if (!this.held.remove(delivery, entry)) {
			return;
		}
		try {
			release(delivery, entry);
			this.requests.due(delivery);
			if (this.revokes.discardReserved(delivery, message)) {
				this.requests.forget(delivery);
				return;
			}
			start(delivery, message, endpoint);
		}
		catch (Throwable ex) {
			logger.error("Could not start task " + message.id() + " at its ETA; its message goes back to the broker",
					ex);
			this.state.failed(ex);
			this.requests.forget(delivery);
			delivery.requeue();
		}
	}

	private void release(Delivery delivery, Held entry) {
		this.deferrals.resume(delivery, entry.outsideWindow);
	}

	private void giveBack(Delivery delivery, Held entry) {
		if (this.held.remove(delivery, entry)) {
			release(delivery, entry);
			this.state.unreserved();
			this.requests.forget(delivery);
			delivery.requeue();
		}
	}

	private void start(Delivery delivery, TaskMessage message, TaskEndpoint endpoint) {
		if (!this.rateLimiter.holds(delivery, message, endpoint)) {
			submit(delivery, message, endpoint);
		}
	}

	private void submit(Delivery delivery, TaskMessage message, TaskEndpoint endpoint) {
		this.state.queued();
		try {
			this.executor.execute(this.requests.tracking(delivery, endpoint,
					this.executions.create(delivery, message, endpoint, this.isStopping)));
		}
		catch (Throwable ex) {
			// counted as waiting no longer, whatever failed: a stale count would make health stall
			this.state.dequeued();
			this.state.unreserved();
			this.requests.forget(delivery);
			if (!(ex instanceof RejectedExecutionException)) {
				throw ex;
			}
			delivery.requeue();
		}
	}

	private void refuse(Delivery delivery, TaskMessage message, String reason, ExceptionInfo exception) {
		String queue = delivery.queue();
		reject(delivery, message, reason);
		this.recorder.storeQuietly(() -> this.recorder.failure(message, queue, exception, null), message.id());
	}

	private void reject(Delivery delivery, @Nullable TaskMessage message, String reason) {
		logger.warn(reason + "; moved to the dead-letter place");
		this.state.rejected();
		delivery.deadLetter(reason);
		this.listeners.taskRejected(message, delivery.queue(), reason);
	}

	@Override
	public void onFailure(Delivery delivery, Throwable failure) {
		this.state.rejected();
		this.state.failed(failure);
		this.listeners.taskRejected(null, delivery.queue(), "Worker failed handling the message: " + failure);
	}

	/**
	 * Stop starting tasks: deliveries held for their ETA or a rate limit and those queued but
	 * not started go back to the broker.
	 */
	void stop() {
		this.stopping = true;
		this.rateLimiter.stop();
		this.held.forEach((delivery, entry) -> {
			ScheduledFuture<?> due = entry.due;
			if (due != null) {
				due.cancel(false);
			}
			try {
				giveBack(delivery, entry);
			}
			catch (RuntimeException ex) {
				// one message the broker does not take back must not keep the others
				logger.error("Could not give " + delivery + " back to the broker", ex);
			}
		});
	}

	/**
	 * Return the tasks taken and not finished, for remote control.
	 * @return the tracked requests
	 */
	TaskRequests requests() {
		return this.requests;
	}

	/** A delivery held for its ETA. */
	private static final class Held {

		final boolean outsideWindow;

		volatile @Nullable ScheduledFuture<?> due;

		Held(boolean outsideWindow) {
			this.outsideWindow = outsideWindow;
		}

	}

}
