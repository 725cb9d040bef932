package dev.taskqueue.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.observation.TaskExecutionObservationConvention;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.TaskRouter;

/**
 * A Celery worker as a {@link SmartLifecycle}: consumes the configured queues with a prefetch
 * of concurrency times the multiplier, and runs tasks on a pool of {@code concurrency}
 * threads (virtual ones when the given thread factory makes them), each task run wrapped by
 * the {@link TaskDecorator} if one is set. A task abandoned at its hard time limit gets its
 * slot replaced by another thread while its own still runs. Starting follows the
 * {@link RevokedTaskStore} if one is set (loading the revokes kept) before it consumes.
 * Stopping stops fetching,
 * gives held and queued tasks back to the broker, and waits for running tasks up to the
 * shutdown timeout.
 */
public class WorkerContainer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerContainer.class);

	private final Broker broker;

	private final TaskRegistry registry;

	private final WorkerState state;

	private final WorkerSettings settings;

	private final ResultBackend backend;

	private final CeleryBuiltinTasks builtins;

	private final TaskArgumentBinder binder;

	private final ThreadFactory threadFactory;

	private final Object monitor = new Object();

	private @Nullable RunningWorker running;

	private boolean autoStartup = true;

	private @Nullable TaskDecorator taskDecorator;

	private MessageCodec codec = new JsonMessageCodec();

	private @Nullable SharedTokenBuckets sharedTokenBuckets;

	private @Nullable RevokedTaskStore revokedTaskStore;

	private TaskRouter router = DefaultTaskRouter.withDefaultQueue("celery");

	private TaskListeners listeners = TaskListeners.NONE;

	private ExecutionObservations observations = ExecutionObservations.NONE;

	private final WorkerControl control = new ContainerControl(this);

	private volatile long startedNanos;

	/**
	 * Create a worker.
	 * @param broker the broker to consume from
	 * @param backend the backend to store results in
	 * @param registry the tasks this worker runs
	 * @param state where the worker records what it does
	 * @param settings how the worker runs
	 * @param mapper converts arguments to parameter types
	 * @param threadFactory makes the task threads
	 */
	public WorkerContainer(Broker broker, ResultBackend backend, TaskRegistry registry, WorkerState state,
			WorkerSettings settings, JsonMapper mapper, @Nullable ThreadFactory threadFactory) {
		this.broker = broker;
		this.registry = registry;
		this.state = state;
		this.settings = settings;
		this.backend = backend;
		this.builtins = new CeleryBuiltinTasks(backend);
		this.binder = new TaskArgumentBinder(mapper);
		this.threadFactory = (threadFactory != null) ? threadFactory : new CustomizableThreadFactory("taskqueue-worker-");
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running != null) {
				return;
			}
			RateLimiter.requireSharedBucketsWhereNeeded(this.registry, this.sharedTokenBuckets);
			TaskPool executor = new TaskPool(this.settings.concurrency(), this.threadFactory);
			ScheduledExecutorService timer = Executors
				.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("taskqueue-eta-"));
			Clock clock = Clock.systemUTC();
			CanvasSteps canvas = CanvasSteps.publishingTo(this.broker, this.codec, this.router, this.backend,
					this.settings.hostname(), clock);
			this.builtins.registerIn(this.registry, canvas);
			ResultRecorder recorder = new ResultRecorder(this.backend, this.settings, canvas);
			TaskListeners listeners = this.listeners;
			TaskRetrier retrier = TaskRetrier.publishingTo(this.broker, this.codec, recorder, this.state, clock,
					listeners);
			RevokedTasks revokes = new RevokedTasks(this.revokedTaskStore, recorder, this.state, listeners);
			revokes.follow();
			TimeLimitWatchdog watchdog = new TimeLimitWatchdog(executor, this.state, clock);
			TaskExecutionFactory executions = (delivery, message, endpoint, stopping) -> new TaskExecution(delivery,
					message, endpoint, stopping, this.binder, recorder, retrier,
					revokes, this.state, clock, watchdog, listeners, this.observations);
			WorkerDispatcher dispatcher = new WorkerDispatcher(this.registry, executions, recorder, revokes,
					new RedeliveryGuard(this.settings, recorder, this.state, clock, listeners), this.state,
					decorated(executor, this.taskDecorator), timer, clock, this.settings.maxHeldEta(),
					this.sharedTokenBuckets, listeners);
			Consumption consumption;
			try {
				consumption = this.broker
					.consume(new ConsumerSettings(this.settings.queues(), this.settings.prefetch()), dispatcher);
			}
			catch (RuntimeException | Error ex) {
				revokes.close();
				watchdog.shutdown();
				throw ex;
			}
			this.running = new RunningWorker(changeable(consumption, dispatcher), dispatcher, executor, timer, revokes,
					watchdog);
			this.startedNanos = System.nanoTime();
			logger.info("Worker " + this.settings.hostname() + " consuming " + this.settings.queues() + " from "
					+ this.broker.url() + " with concurrency " + this.settings.concurrency() + ", tasks "
					+ this.registry.names());
		}
	}

	// the consumption of the configured queues, where remote control adds and cancels queues
	private Consumption changeable(Consumption consumption, WorkerDispatcher dispatcher) {
		return new QueueConsumptions(this.broker, dispatcher,
				new ConsumerSettings(this.settings.queues(), this.settings.prefetch()), consumption);
	}

	private static Executor decorated(Executor executor, @Nullable TaskDecorator decorator) {
		return (decorator != null) ? (task) -> executor.execute(decorator.decorate(task)) : executor;
	}

	@Override
	public void stop() {
		RunningWorker stopped;
		synchronized (this.monitor) {
			stopped = this.running;
			this.running = null;
		}
		if (stopped != null) {
			stopped.stop(this.settings);
		}
	}

	/**
	 * Set whether the worker starts with the application context.
	 * @param autoStartup whether to start automatically
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Set the store of revoked tasks this worker follows: it discards the tasks revoked there
	 * and interrupts those revoked with {@code terminate}. Without one nothing is revoked.
	 * Takes effect at the next start.
	 * @param revokedTaskStore the store, or {@code null} for none
	 */
	public void setRevokedTaskStore(@Nullable RevokedTaskStore revokedTaskStore) {
		this.revokedTaskStore = revokedTaskStore;
	}

	/**
	 * Set the listeners told what becomes of each task this worker receives (events, metrics,
	 * logs), in order. Takes effect at the next start.
	 * @param listeners the listeners
	 */
	public void setTaskListeners(List<? extends TaskListener> listeners) {
		Assert.notNull(listeners, "'listeners' must not be null");
		this.listeners = TaskListeners.of(listeners);
	}

	/**
	 * Set the registry of the {@code taskqueue.process} observation of each task run, which
	 * with Micrometer Tracing continues the trace the task's message carries
	 * ({@code traceparent}). Takes effect at the next start.
	 * @param registry the registry
	 * @param convention the observation's convention, or {@code null} for the default
	 */
	public void setObservationRegistry(ObservationRegistry registry,
			@Nullable TaskExecutionObservationConvention convention) {
		Assert.notNull(registry, "'registry' must not be null");
		this.observations = new ExecutionObservations(registry, convention);
	}

	/**
	 * Set the decorator wrapped around each task run on the pool, such as one that copies the
	 * sender's MDC or security context into the task thread. Takes effect at the next start.
	 * @param taskDecorator the decorator, or {@code null} for none
	 */
	public void setTaskDecorator(@Nullable TaskDecorator taskDecorator) {
		this.taskDecorator = taskDecorator;
	}

	/**
	 * Set the router of the tasks this worker sends to continue workflows (next chain steps,
	 * callbacks, errbacks, chord bodies) when their signature names no queue: the
	 * application's, so that they go where its template sends them. By default every task goes
	 * to the {@code celery} queue. Takes effect at the next start.
	 * @param router the router
	 */
	public void setTaskRouter(TaskRouter router) {
		Assert.notNull(router, "'router' must not be null");
		this.router = router;
	}

	/**
	 * Set the codec that encodes the messages this worker sends (retries and the next steps
	 * of workflows), the one tasks are sent with. JSON by default. Takes effect at the next
	 * start.
	 * @param codec the codec
	 */
	public void setMessageCodec(MessageCodec codec) {
		Assert.notNull(codec, "'codec' must not be null");
		this.codec = codec;
	}

	/**
	 * Set the token buckets that all workers share, where tasks with a
	 * {@link dev.taskqueue.core.RateLimitScope#CLUSTER cluster-wide} rate limit take their
	 * tokens. Without them such tasks keep the worker from starting. Takes effect at the next
	 * start.
	 * @param sharedTokenBuckets the shared buckets, or {@code null} for none
	 */
	public void setSharedTokenBuckets(@Nullable SharedTokenBuckets sharedTokenBuckets) {
		this.sharedTokenBuckets = sharedTokenBuckets;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.running != null;
		}
	}

	/**
	 * What keeps this worker from working, for health checks: its consumer stopped after a
	 * failure it does not recover from; tasks have waited for a pool thread longer than the
	 * stall timeout while none started or finished; or it ran out of memory and the heap is
	 * still nearly full.
	 * @return the problems, none when the worker works
	 */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		RunningWorker current;
		synchronized (this.monitor) {
			current = this.running;
		}
		String failure = (current != null) ? current.consumption().failure() : null;
		if (failure != null) {
			problems.add(failure);
		}
		Duration stalled = this.state.stalledFor();
		if (stalled.compareTo(this.settings.stallTimeout()) > 0) {
			problems.add(this.state.waitingCount() + " task(s) waited " + stalled.toSeconds()
					+ " s for a pool thread while no task started or finished (stall timeout "
					+ this.settings.stallTimeout() + ")");
		}
		WorkerState.Failure last = this.state.lastFailure();
		if (last != null && last.fatal() && HeapUsage.nearlyFull()) {
			problems.add("Out of memory: " + last.description() + " at " + last.time() + ", and the heap is "
					+ HeapUsage.percentUsed() + "% used");
		}
		return problems;
	}

	/**
	 * Return the node name of this worker.
	 * @return the node name
	 */
	public String hostname() {
		return this.settings.hostname();
	}

	/**
	 * Return how this worker runs.
	 * @return the worker settings
	 */
	public WorkerSettings settings() {
		return this.settings;
	}

	/**
	 * Return what remote-control commands read and change on this worker.
	 * @return the control of this worker
	 */
	public WorkerControl control() {
		return this.control;
	}

	@Nullable RunningWorker runningWorker() {
		synchronized (this.monitor) {
			return this.running;
		}
	}

	long startedNanos() {
		return this.startedNanos;
	}

	TaskRegistry registry() {
		return this.registry;
	}

	WorkerState state() {
		return this.state;
	}

	Broker broker() {
		return this.broker;
	}

	@Nullable RevokedTaskStore revokedTaskStore() {
		return this.revokedTaskStore;
	}

}
