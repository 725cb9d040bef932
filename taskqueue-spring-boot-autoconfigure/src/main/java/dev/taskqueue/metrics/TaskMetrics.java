package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.worker.TaskListener;

/**
 * The worker's task meters, one counter per Celery task event as celery-exporter counts them
 * ({@code taskqueue.task.received}, {@code .started}, {@code .succeeded}, {@code .failed},
 * {@code .retried}, {@code .revoked}, {@code .rejected}, tagged with {@code task} and
 * {@code queue}), and the timer {@code taskqueue.task.execution} of every task that ended,
 * tagged with {@code task}, {@code queue}, {@code state} (Celery's final state) and
 * {@code exception} (the Python-style exception type, or {@code none}).
 * <p>
 * Task names come from messages: past {@link #DEFAULT_MAX_TASK_NAMES} distinct names (or
 * the limit given), further names are tagged {@code other}. Ids, arguments and exception
 * messages are never tags.
 */
public class TaskMetrics implements TaskListener {

	/** The number of distinct task names tagged by default. */
	public static final int DEFAULT_MAX_TASK_NAMES = 1000;

	static final String NONE = "none";

	static final String UNKNOWN = "unknown";

	private static final int MAX_QUEUES = 1000;

	private static final int MAX_EXCEPTIONS = 200;

	private final TagValues tasks;

	private final TagValues queues = new TagValues("queue", MAX_QUEUES);

	private final TagValues exceptions = new TagValues("exception", MAX_EXCEPTIONS);

	// The task running on this thread and when it started, for the runtime of a terminated task
	private final ThreadLocal<Running> running = new ThreadLocal<>();

	private final MeterProvider<Counter> received;

	private final MeterProvider<Counter> started;

	private final MeterProvider<Counter> succeeded;

	private final MeterProvider<Counter> failed;

	private final MeterProvider<Counter> retried;

	private final MeterProvider<Counter> revoked;

	private final MeterProvider<Counter> rejected;

	private final MeterProvider<Timer> execution;

	/**
	 * Create the meters with the default limit of task names.
	 * @param registry the registry
	 */
	public TaskMetrics(MeterRegistry registry) {
		this(registry, DEFAULT_MAX_TASK_NAMES);
	}

	/**
	 * Create the meters.
	 * @param registry the registry
	 * @param maxTaskNames the number of distinct task names tagged, beyond which names are
	 * tagged {@code other}
	 */
	public TaskMetrics(MeterRegistry registry, int maxTaskNames) {
		this.tasks = new TagValues("task", maxTaskNames);
		this.received = counter(registry, "received", "Tasks taken from the broker");
		this.started = counter(registry, "started", "Tasks that started running");
		this.succeeded = counter(registry, "succeeded", "Tasks that returned");
		this.failed = counter(registry, "failed", "Tasks that failed and are not retried");
		this.retried = counter(registry, "retried", "Tasks that failed and are retried");
		this.revoked = counter(registry, "revoked", "Tasks revoked, expired or terminated");
		this.rejected = counter(registry, "rejected", "Messages moved to the dead-letter place instead of run");
		this.execution = Timer.builder("taskqueue.task.execution")
			.description("How long tasks ran, by final state")
			.withRegistry(registry);
	}

	private static MeterProvider<Counter> counter(MeterRegistry registry, String event, String description) {
		return Counter.builder("taskqueue.task." + event).description(description).withRegistry(registry);
	}

	@Override
	public void taskReceived(TaskMessage message, String queue) {
		this.received.withTags(tags(message, queue)).increment();
	}

	@Override
	public void taskStarted(TaskMessage message, String queue) {
		this.running.set(new Running(message.id(), System.nanoTime()));
		this.started.withTags(tags(message, queue)).increment();
	}

	@Override
	public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
		ended(message);
		this.succeeded.withTags(tags(message, queue)).increment();
		record(message, queue, CeleryStates.SUCCESS, NONE, runtime);
	}

	@Override
	public void taskFailed(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		ended(message);
		String type = exceptionType(exception);
		this.failed.withTags(tags(message, queue, "exception", type)).increment();
		record(message, queue, CeleryStates.FAILURE, type, runtime);
	}

	@Override
	public void taskRetried(TaskMessage message, String queue, ExceptionInfo exception, @Nullable Throwable cause,
			Duration runtime) {
		ended(message);
		this.retried.withTags(tags(message, queue)).increment();
		record(message, queue, CeleryStates.RETRY, exceptionType(exception), runtime);
	}

	@Override
	public void taskRevoked(TaskMessage message, String queue, boolean terminated, boolean expired) {
		Running run = ended(message);
		String reason = terminated ? "terminated" : (expired ? "expired" : "revoked");
		this.revoked.withTags(tags(message, queue, "reason", reason)).increment();
		Duration runtime = (terminated && run != null) ? Duration.ofNanos(System.nanoTime() - run.startedAt())
				: Duration.ZERO;
		record(message, queue, CeleryStates.REVOKED, NONE, runtime);
	}

	@Override
	public void taskRejected(@Nullable TaskMessage message, String queue, String reason) {
		String task = (message != null) ? this.tasks.of(message.task()) : UNKNOWN;
		this.rejected.withTags("task", task, "queue", this.queues.of(queue)).increment();
	}

	private void record(TaskMessage message, String queue, String state, String exception, Duration runtime) {
		this.execution.withTags(tags(message, queue, "state", state, "exception", exception))
			.record(Math.max(0, runtime.toNanos()), TimeUnit.NANOSECONDS);
	}

	private String[] tags(TaskMessage message, String queue, String... more) {
		String[] tags = new String[4 + more.length];
		tags[0] = "task";
		tags[1] = this.tasks.of(message.task());
		tags[2] = "queue";
		tags[3] = this.queues.of(queue);
		System.arraycopy(more, 0, tags, 4, more.length);
		return tags;
	}

	private String exceptionType(ExceptionInfo exception) {
		return exception.type().isEmpty() ? UNKNOWN : this.exceptions.of(exception.type());
	}

	// Forget the task running on this thread; return it, or null when it did not start here
	private @Nullable Running ended(TaskMessage message) {
		Running current = this.running.get();
		if (current == null || !current.id().equals(message.id())) {
			return null;
		}
		this.running.remove();
		return current;
	}

	private record Running(String id, long startedAt) {
	}

}
