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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskState;

/**
 * Receives deliveries and decides what becomes of each: invalid messages and unknown tasks
 * go to the dead-letter place with the reason, tasks with a future ETA are held unacknowledged
 * until due, all others are queued for execution.
 */
final class WorkerDispatcher implements DeliveryHandler {

	private static final Log logger = LogFactory.getLog(WorkerDispatcher.class);

	private final TaskRegistry registry;

	private final TaskExecutionFactory executions;

	private final ResultRecorder recorder;

	private final WorkerState state;

	private final Executor executor;

	private final ScheduledExecutorService timer;

	private final Clock clock;

	private final Map<Delivery, ScheduledFuture<?>> held = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	WorkerDispatcher(TaskRegistry registry, TaskExecutionFactory executions, ResultRecorder recorder,
			WorkerState state, Executor executor, ScheduledExecutorService timer, Clock clock) {
		this.registry = registry;
		this.executions = executions;
		this.recorder = recorder;
		this.state = state;
		this.executor = executor;
		this.timer = timer;
		this.clock = clock;
	}

	@Override
	public void onDelivery(Delivery delivery) {
		TaskMessage message;
		try {
			message = delivery.message();
		}
		catch (RuntimeException ex) {
			reject(delivery, "Invalid task message: " + ex.getMessage());
			return;
		}
		TaskEndpoint endpoint = this.registry.find(message.task());
		if (endpoint == null) {
			String queue = delivery.queue();
			reject(delivery, "Task '" + message.task() + "' is not registered on this worker");
			this.state.count(message.task(), TaskState.FAILURE.name());
			this.recorder.storeQuietly(() -> this.recorder.failure(message, queue,
					ExceptionInfo.python("celery.exceptions", "NotRegistered", message.task()), null), message.id());
			return;
		}
		this.state.reserved();
		Instant eta = message.headers().eta();
		Duration delay = (eta != null) ? Duration.between(this.clock.instant(), eta) : Duration.ZERO;
		if (delay.isNegative() || delay.isZero()) {
			submit(delivery, message, endpoint);
		}
		else {
			hold(delivery, message, endpoint, delay);
		}
	}

	private void hold(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, Duration delay) {
		ScheduledFuture<?> due = this.timer.schedule(() -> {
			if (this.held.remove(delivery) != null) {
				submit(delivery, message, endpoint);
			}
		}, delay.toNanos(), TimeUnit.NANOSECONDS);
		this.held.put(delivery, due);
		if (due.isDone()) {
			this.held.remove(delivery);
		}
	}

	private void submit(Delivery delivery, TaskMessage message, TaskEndpoint endpoint) {
		try {
			this.executor.execute(this.executions.create(delivery, message, endpoint, () -> this.stopping));
		}
		catch (RejectedExecutionException ex) {
			this.state.unreserved();
			delivery.requeue();
		}
	}

	private void reject(Delivery delivery, String reason) {
		logger.warn(reason + "; moved to the dead-letter place");
		this.state.rejected();
		delivery.deadLetter(reason);
	}

	/**
	 * Stop starting tasks: deliveries held for their ETA and those queued but not started go back
	 * to the broker.
	 */
	void stop() {
		this.stopping = true;
		this.held.forEach((delivery, due) -> {
			if (due.cancel(false) && this.held.remove(delivery) != null) {
				this.state.unreserved();
				delivery.requeue();
			}
		});
	}

}
