package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.TaskMessage;

/**
 * The tasks a {@link WorkerDispatcher} has taken and not finished, for remote control:
 * scheduled (held for their ETA), reserved, active. Deliveries the broker voided (it
 * redelivers them) are left out. Thread-safe.
 */
final class TaskRequests {

	private final Map<Delivery, Tracked> tracked = new ConcurrentHashMap<>();

	private final Clock clock;

	TaskRequests(Clock clock) {
		this.clock = clock;
	}

	/**
	 * A task was taken from the broker.
	 * @param delivery its delivery
	 * @param message its message
	 * @param delay how long it is held for its ETA, zero when it is due
	 */
	void received(Delivery delivery, TaskMessage message, Duration delay) {
		Instant eta = delay.isZero() ? null : message.headers().eta();
		this.tracked.put(delivery, new Tracked(message, this.clock.instant(), eta));
	}

	/**
	 * A held task's ETA came.
	 * @param delivery its delivery
	 */
	void due(Delivery delivery) {
		Tracked entry = this.tracked.get(delivery);
		if (entry != null) {
			entry.eta = null;
		}
	}

	/**
	 * A task was settled or given back without running.
	 * @param delivery its delivery
	 */
	void forget(Delivery delivery) {
		this.tracked.remove(delivery);
	}

	/**
	 * Wrap the run of a task so that it shows as active while it runs, and goes when it ends.
	 * @param delivery its delivery
	 * @param endpoint the task
	 * @param run the run
	 * @return the wrapped run
	 */
	Runnable tracking(Delivery delivery, TaskEndpoint endpoint, Runnable run) {
		return () -> {
			Tracked entry = this.tracked.get(delivery);
			if (entry != null) {
				entry.acknowledged = !endpoint.settings().acksLate();
				entry.timeStart = this.clock.instant();
			}
			try {
				run.run();
			}
			finally {
				this.tracked.remove(delivery);
			}
		};
	}

	/**
	 * Return the tasks taken and not finished, in the order they came.
	 * @return the requests
	 */
	List<WorkerRequest> snapshot() {
		// a voided delivery never runs here: the broker redelivers its message
		this.tracked.keySet().removeIf((delivery) -> !delivery.valid());
		return this.tracked.entrySet()
			.stream()
			.sorted(Comparator.comparing((Map.Entry<Delivery, Tracked> entry) -> entry.getValue().received))
			.map((entry) -> entry.getValue().request(entry.getKey()))
			.toList();
	}

	/** What is known of one task. */
	private static final class Tracked {

		final TaskMessage message;

		final Instant received;

		volatile @Nullable Instant eta;

		volatile @Nullable Instant timeStart;

		volatile boolean acknowledged;

		Tracked(TaskMessage message, Instant received, @Nullable Instant eta) {
			this.message = message;
			this.received = received;
			this.eta = eta;
		}

		WorkerRequest request(Delivery delivery) {
			Instant start = this.timeStart;
			Instant due = this.eta;
			WorkerRequest.Stage stage = (start != null) ? WorkerRequest.Stage.ACTIVE
					: (due != null) ? WorkerRequest.Stage.SCHEDULED : WorkerRequest.Stage.RESERVED;
			return new WorkerRequest(stage, this.message, delivery.queue(), delivery.redelivered(), due, start,
					start != null && this.acknowledged);
		}

	}

}
