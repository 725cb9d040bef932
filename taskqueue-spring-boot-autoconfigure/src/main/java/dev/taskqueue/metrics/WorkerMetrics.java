package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.worker.WorkerControl;
import dev.taskqueue.worker.WorkerRequest.Stage;
import dev.taskqueue.worker.WorkerState;

/**
 * The gauges of a worker: {@code taskqueue.worker.tasks.active} (celery-exporter's
 * {@code celery_worker_tasks_active}), {@code .reserved} (taken from the broker, not started:
 * prefetched, held for their ETA or a rate-limit token), {@code .waiting} (waiting for a pool
 * thread), {@code .runaway} (abandoned at their hard time limit, still running),
 * {@code taskqueue.worker.prefetch}, {@code taskqueue.worker.queues} (queues consumed),
 * {@code .held} (held for their ETA, when built on the worker's control), and
 * with a {@link BrokerAdmin} {@code taskqueue.queue.length} per consumed queue
 * (celery-exporter's {@code celery_queue_length}), asked of the broker on a thread of its own
 * at most once per refresh interval, so that a scrape never waits for the broker. Queues
 * added or cancelled while the worker runs gain or lose their gauge when
 * {@code taskqueue.worker.queues} is next read. {@link #close() Close} it to stop that
 * thread.
 */
public class WorkerMetrics implements MeterBinder, AutoCloseable {

	/** How long a queue length read from the broker is kept by default. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(2);

	private final WorkerState state;

	private final int prefetch;

	private @Nullable WorkerControl worker;

	private final Supplier<? extends Collection<String>> queues;

	private final @Nullable QueueLengths lengths;

	private final @Nullable Executor executor;

	/**
	 * Create the gauges of a worker.
	 * @param state the worker's state
	 * @param prefetch the number of messages the worker takes ahead
	 * @param queues the names of the queues the worker consumes now
	 * @param admin the broker's admin operations for queue lengths, or {@code null} for none
	 */
	public WorkerMetrics(WorkerState state, int prefetch, Supplier<? extends Collection<String>> queues,
			@Nullable BrokerAdmin admin) {
		this(state, prefetch, queues, admin, DEFAULT_REFRESH_INTERVAL);
	}

	/**
	 * Create the gauges of a worker.
	 * @param state the worker's state
	 * @param prefetch the number of messages the worker takes ahead
	 * @param queues the names of the queues the worker consumes now
	 * @param admin the broker's admin operations for queue lengths, or {@code null} for none
	 * @param refreshInterval how long a queue length read from the broker is kept
	 */
	public WorkerMetrics(WorkerState state, int prefetch, Supplier<? extends Collection<String>> queues,
			@Nullable BrokerAdmin admin, Duration refreshInterval) {
		this(state, prefetch, queues, admin, refreshInterval, System::nanoTime, (admin != null) ? refresher() : null);
	}

	WorkerMetrics(WorkerState state, int prefetch, Supplier<? extends Collection<String>> queues,
			@Nullable BrokerAdmin admin, Duration refreshInterval, LongSupplier nanoTime,
			@Nullable Executor executor) {
		this.state = state;
		this.prefetch = prefetch;
		this.queues = queues;
		this.executor = executor;
		this.lengths = (admin != null && executor != null)
				? new QueueLengths(admin, queues, refreshInterval, nanoTime, executor) : null;
	}

	// One daemon thread, gone after a minute without work
	private static ExecutorService refresher() {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "taskqueue-queue-length");
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Create the gauges of a running worker, following it as remote control changes it: the
	 * prefetch as its pool grows or shrinks, the queues it consumes, and
	 * {@code taskqueue.worker.tasks.held}, the tasks it holds for their ETA or countdown.
	 * @param worker the worker
	 * @param admin the broker's admin operations for queue lengths, or {@code null} for none
	 */
	public WorkerMetrics(WorkerControl worker, @Nullable BrokerAdmin admin) {
		// before the worker starts, the queues it will consume, so that their gauges exist
		this(worker.state(), worker.prefetch(),
				() -> worker.isRunning() ? worker.queues() : worker.settings().queues(), admin);
		this.worker = worker;
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
		WorkerControl worker = this.worker;
		gauge(registry, "taskqueue.worker.prefetch", "Messages the worker takes ahead",
				() -> (worker != null) ? worker.prefetch() : this.prefetch);
		if (worker != null) {
			gauge(registry, "taskqueue.worker.tasks.held", "Tasks held for their ETA or countdown",
					() -> worker.requests().stream().filter((request) -> request.stage() == Stage.SCHEDULED).count());
		}
		QueueLengths lengths = this.lengths;
		if (lengths != null) {
			lengths.update(registry);
		}
		gauge(registry, "taskqueue.worker.queues", "Queues the worker consumes",
				() -> (lengths != null) ? lengths.update(registry) : this.queues.get().size());
	}

	/**
	 * Stop asking the broker for queue lengths; the gauges keep the last lengths read.
	 */
	@Override
	public void close() {
		if (this.executor instanceof ExecutorService service) {
			service.shutdownNow();
		}
	}

	private static void gauge(MeterRegistry registry, String name, String description, Supplier<Number> value) {
		Gauge.builder(name, value).description(description).strongReference(true).register(registry);
	}

}
