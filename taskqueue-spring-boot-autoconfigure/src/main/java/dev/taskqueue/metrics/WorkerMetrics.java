package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.worker.WorkerState;

/**
 * The gauges of a worker: {@code taskqueue.worker.tasks.active} (celery-exporter's
 * {@code celery_worker_tasks_active}), {@code .reserved} (taken from the broker, not started:
 * prefetched, held for their ETA or a rate-limit token), {@code .waiting} (waiting for a pool
 * thread), {@code .runaway} (abandoned at their hard time limit, still running),
 * {@code taskqueue.worker.prefetch}, {@code taskqueue.worker.queues} (queues consumed), and
 * with a {@link BrokerAdmin} {@code taskqueue.queue.length} per consumed queue
 * (celery-exporter's {@code celery_queue_length}), asked of the broker at most once per
 * refresh interval. Queues added or cancelled while the worker runs gain or lose their gauge
 * when {@code taskqueue.worker.queues} is next read.
 */
public class WorkerMetrics implements MeterBinder {

	/** How long a queue length read from the broker is kept by default. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(2);

	private final WorkerState state;

	private final int prefetch;

	private final Supplier<? extends Collection<String>> queues;

	private final @Nullable QueueLengths lengths;

	/**
	 * Create the gauges of a worker.
	 * @param state the worker's state
	 * @param prefetch the number of messages the worker takes ahead
	 * @param queues the names of the queues the worker consumes now
	 * @param admin the broker's admin operations for queue lengths, or {@code null} for none
	 */
	public WorkerMetrics(WorkerState state, int prefetch, Supplier<? extends Collection<String>> queues,
			@Nullable BrokerAdmin admin) {
		this(state, prefetch, queues, admin, DEFAULT_REFRESH_INTERVAL, System::nanoTime);
	}

	WorkerMetrics(WorkerState state, int prefetch, Supplier<? extends Collection<String>> queues,
			@Nullable BrokerAdmin admin, Duration refreshInterval, LongSupplier nanoTime) {
		this.state = state;
		this.prefetch = prefetch;
		this.queues = queues;
		this.lengths = (admin != null) ? new QueueLengths(admin, queues, refreshInterval, nanoTime) : null;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "taskqueue.worker.tasks.active", "Tasks running now",
				() -> this.state.activeTasks().size());
		gauge(registry, "taskqueue.worker.tasks.reserved", "Tasks taken from the broker and not started yet",
				this.state::reservedCount);
		gauge(registry, "taskqueue.worker.tasks.waiting", "Tasks waiting for a pool thread",
				this.state::waitingCount);
		gauge(registry, "taskqueue.worker.tasks.runaway",
				"Tasks abandoned at their hard time limit whose threads still run",
				() -> this.state.runawayTasks().size());
		gauge(registry, "taskqueue.worker.prefetch", "Messages the worker takes ahead", () -> this.prefetch);
		QueueLengths lengths = this.lengths;
		if (lengths != null) {
			lengths.update(registry);
		}
		gauge(registry, "taskqueue.worker.queues", "Queues the worker consumes",
				() -> (lengths != null) ? lengths.update(registry) : this.queues.get().size());
	}

	private static void gauge(MeterRegistry registry, String name, String description, Supplier<Number> value) {
		Gauge.builder(name, value).description(description).strongReference(true).register(registry);
	}

}
