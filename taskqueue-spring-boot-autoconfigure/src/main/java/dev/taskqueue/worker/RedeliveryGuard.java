package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Decides about a message the broker delivers again because an earlier delivery ended
 * without being settled: the worker holding it died or lost its connection
 * ({@link Delivery#deliveryCount()} above 1). Celery runs an acks-late task's message again
 * only with {@code task_reject_on_worker_lost}, and then without end when the task kills its
 * worker every time. Here:
 * <ul>
 * <li>a message delivered more than {@link WorkerSettings#maxDeliveries()} times goes to the
 * dead-letter place with the count and the limit, and FAILURE {@code WorkerLostError} is
 * stored, so that a task that kills its worker stops looping and its callers stop waiting;
 * <li>a message of an acks-late task that must not run again after its worker was lost
 * ({@link TaskSettings#rejectOnWorkerLost()} false) is acknowledged with
 * FAILURE {@code WorkerLostError} ("Worker exited prematurely") stored, as Celery does.
 * </ul>
 * A message whose ETA is still ahead is left to run: no delivery of it can have started the
 * task. Results are stored unless the task or message ignores them.
 */
final class RedeliveryGuard {

	private static final Log logger = LogFactory.getLog(RedeliveryGuard.class);

	private final WorkerSettings settings;

	private final ResultRecorder recorder;

	private final WorkerState state;

	private final Clock clock;

	private final TaskListeners listeners;

	RedeliveryGuard(WorkerSettings settings, ResultRecorder recorder, WorkerState state, Clock clock,
			TaskListeners listeners) {
		this.settings = settings;
		this.recorder = recorder;
		this.state = state;
		this.clock = clock;
		this.listeners = listeners;
	}

	/**
	 * Settle a delivery that must not run because of its earlier deliveries.
	 * @param delivery the delivery
	 * @param message its decoded message
	 * @param endpoint the task it runs
	 * @return whether the delivery was settled here, and must not run
	 */
	boolean settled(Delivery delivery, TaskMessage message, TaskEndpoint endpoint) {
		int count = delivery.deliveryCount();
		if (count <= 1 || notDueYet(message)) {
			return false;
		}
		int limit = this.settings.maxDeliveries();
		if (limit > 0 && count > limit) {
			deadLetter(delivery, message, endpoint, count, limit);
			return true;
		}
		if (endpoint.settings().acksLate() && !endpoint.settings().rejectOnWorkerLost()) {
			lost(delivery, message, endpoint, count);
			return true;
		}
		return false;
	}

	private boolean notDueYet(TaskMessage message) {
		Instant eta = message.headers().eta();
		return eta != null && eta.isAfter(this.clock.instant());
	}

	private void deadLetter(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, int count, int limit) {
		String reason = "Message delivered " + count + " times, more than the limit of " + limit
				+ " (taskqueue.task.max-deliveries): the worker running it was lost each time";
		logger.warn("Task " + message.task() + "[" + message.id() + "] not run: " + reason
				+ "; moved to the dead-letter place");
		String queue = delivery.queue();
		this.state.rejected();
		this.state.count(message.task(), CeleryStates.FAILURE);
		// stored first, so that whoever sees the dead letter also sees the state
		store(message, endpoint, queue, workerLost("Worker exited prematurely: message delivered " + count
				+ " times, more than max-deliveries " + limit));
		delivery.deadLetter(reason);
		this.listeners.taskRejected(message, queue, reason);
	}

	private void lost(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, int count) {
		logger.warn("Task " + message.task() + "[" + message.id() + "] not run again: delivery " + count
				+ " of its message, after the worker running it was lost, and it does not reject on worker loss");
		this.state.count(message.task(), CeleryStates.FAILURE);
		ExceptionInfo lost = workerLost("Worker exited prematurely: delivery " + count
				+ " of the message, the worker running it before was lost");
		store(message, endpoint, delivery.queue(), lost);
		delivery.ack();
		this.listeners.taskFailed(message, delivery.queue(), lost, null, Duration.ZERO);
	}

	private static ExceptionInfo workerLost(String description) {
		return ExceptionInfo.python("celery.exceptions", "WorkerLostError", description);
	}

	private void store(TaskMessage message, TaskEndpoint endpoint, String queue, ExceptionInfo exception) {
		if (endpoint.settings().ignoreResult() || message.headers().ignoreResult()) {
			return;
		}
		this.recorder.storeQuietly(() -> this.recorder.failure(message, queue, exception, null), message.id());
	}

}
