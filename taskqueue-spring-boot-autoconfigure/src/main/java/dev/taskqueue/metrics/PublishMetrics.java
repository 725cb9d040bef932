package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.taskqueue.core.TaskPublishListener;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * The sender's task meters: the timer {@code taskqueue.task.publish} of every task message a
 * template publishes (tagged with {@code task}, {@code exchange}, {@code queue},
 * {@code outcome} {@code success} or {@code failure}, and {@code exception}, the type of the
 * failure or {@code none}), and the counter {@code taskqueue.task.sent} of the messages the
 * broker took (tagged with {@code task} and {@code queue}), celery-exporter's
 * {@code celery_task_sent_total}.
 * <p>
 * The {@code queue} tag is the queue the route resolved to, or the routing key when the route
 * names only an exchange; {@code exchange} is {@code default} for the default exchange. Both
 * are {@code unknown} when publishing failed. Task names, queues and routing keys are bounded
 * as in {@link TaskMetrics}.
 */
public class PublishMetrics implements TaskPublishListener {

	private static final int MAX_DESTINATIONS = 1000;

	private final TagValues tasks;

	private final TagValues queues = new TagValues("queue", MAX_DESTINATIONS);

	private final TagValues exchanges = new TagValues("exchange", MAX_DESTINATIONS);

	private final TagValues exceptions = new TagValues("exception", MAX_DESTINATIONS);

	private final MeterProvider<Timer> publish;

	private final MeterProvider<Counter> sent;

	/**
	 * Create the meters with the default limit of task names.
	 * @param registry the registry
	 */
	public PublishMetrics(MeterRegistry registry) {
		this(registry, TaskMetrics.DEFAULT_MAX_TASK_NAMES);
	}

	/**
	 * Create the meters.
	 * @param registry the registry
	 * @param maxTaskNames the number of distinct task names tagged, beyond which names are
	 * tagged {@code other}
	 */
	public PublishMetrics(MeterRegistry registry, int maxTaskNames) {
		this.tasks = new TagValues("task", maxTaskNames);
		this.publish = Timer.builder("taskqueue.task.publish")
			.description("How long publishing task messages took, routing and encoding included")
			.withRegistry(registry);
		this.sent = Counter.builder("taskqueue.task.sent")
			.description("Task messages the broker took")
			.withRegistry(registry);
	}

	@Override
	public void published(TaskMessage message, Destination destination, Duration elapsed) {
		String task = this.tasks.of(message.task());
		String exchange = destination.exchange().isEmpty() ? "default" : this.exchanges.of(destination.exchange());
		String queue = this.queues
			.of((destination.queue() != null) ? destination.queue().name() : destination.routingKey());
		this.sent.withTags("task", task, "queue", queue).increment();
		record(elapsed, "task", task, "exchange", exchange, "queue", queue, "outcome", "success", "exception",
				TaskMetrics.NONE);
	}

	@Override
	public void publishFailed(TaskMessage message, Throwable failure, Duration elapsed) {
		String type = failure.getClass().getSimpleName();
		record(elapsed, "task", this.tasks.of(message.task()), "exchange", TaskMetrics.UNKNOWN, "queue",
				TaskMetrics.UNKNOWN, "outcome", "failure", "exception",
				type.isEmpty() ? TaskMetrics.UNKNOWN : this.exceptions.of(type));
	}

	private void record(Duration elapsed, String... tags) {
		this.publish.withTags(tags).record(Math.max(0, elapsed.toNanos()), TimeUnit.NANOSECONDS);
	}

}
