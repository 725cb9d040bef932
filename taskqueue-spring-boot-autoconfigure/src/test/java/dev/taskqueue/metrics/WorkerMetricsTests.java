package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.worker.CeleryTaskAnnotationBeanPostProcessor;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerMetrics}, reading the state of a real worker and the queue lengths of
 * the in-memory broker.
 */
class WorkerMetricsTests {

	private static final JsonMessageCodec CODEC = new JsonMessageCodec();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final InMemoryBroker broker = new InMemoryBroker(CODEC);

	private final CountingAdmin admin = new CountingAdmin(this.broker);

	private final AtomicLong nanoTime = new AtomicLong();

	private final Tasks tasks = new Tasks();

	private WorkerContainer worker;

	@AfterEach
	void stopWorker() {
		this.tasks.release.countDown();
		if (this.worker != null) {
			this.worker.stop();
		}
	}

	@Test
	void gaugesReadTheStateOfARunningWorkerAndTheLengthOfItsQueue() throws InterruptedException {
		TaskRegistry tasks = new TaskRegistry();
		new CeleryTaskAnnotationBeanPostProcessor(tasks).postProcessAfterInitialization(this.tasks, "tasks");
		WorkerSettings settings = new WorkerSettings("celery@metrics-test", List.of("metrics-q"), 1, 2,
				Duration.ofSeconds(5), false);
		WorkerState state = new WorkerState();
		InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(5));
		this.worker = new WorkerContainer(this.broker, backend, tasks, state, settings, CeleryJson.newMapper(), null);
		new WorkerMetrics(state, settings.prefetch(), settings::queues, this.admin, Duration.ZERO, System::nanoTime,
				Runnable::run)
			.bindTo(this.registry);
		assertThat(gauge("taskqueue.worker.tasks.active")).isZero();
		assertThat(gauge("taskqueue.worker.prefetch")).isEqualTo(2);
		assertThat(gauge("taskqueue.worker.queues")).isOne();

		this.worker.start();
		TaskTemplate template = new TaskTemplate(this.broker, backend, DefaultTaskRouter.withDefaultQueue("metrics-q"),
				CODEC, CeleryJson.newMapper(), DataSize.ofMegabytes(1));
		for (int i = 0; i < 5; i++) {
			template.send("test.block");
		}
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(gauge("taskqueue.worker.tasks.active")).isOne();
			assertThat(gauge("taskqueue.worker.tasks.reserved") + gauge("taskqueue.worker.tasks.waiting"))
				.isPositive();
			assertThat(gauge("taskqueue.worker.tasks.reserved")).isEqualTo(state.reservedCount());
			assertThat(queueLength("metrics-q")).isEqualTo(this.broker.size("metrics-q")).isPositive();
		});
		assertThat(gauge("taskqueue.worker.tasks.runaway")).isZero();
		this.tasks.release.countDown();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(gauge("taskqueue.worker.tasks.active")).isZero();
			assertThat(queueLength("metrics-q")).isZero();
		});
	}

	@Test
	void queueLengthIsAskedOfTheBrokerAtMostOncePerInterval() {
		WorkerMetrics metrics = new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-cached"), this.admin,
				Duration.ofSeconds(2), this.nanoTime::get, Runnable::run);
		metrics.bindTo(this.registry);
		publish("metrics-cached", 3);

		assertThat(queueLength("metrics-cached")).isEqualTo(3);
		publish("metrics-cached", 1);
		assertThat(queueLength("metrics-cached")).as("kept").isEqualTo(3);
		this.nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(1999));
		assertThat(queueLength("metrics-cached")).as("kept").isEqualTo(3);
		assertThat(this.admin.calls).hasValue(1);

		this.nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
		assertThat(queueLength("metrics-cached")).isEqualTo(4);
		assertThat(queueLength("metrics-cached")).isEqualTo(4);
		assertThat(this.admin.calls).hasValue(2);
	}

	@Test
	void scrapeNeverWaitsForTheBrokerNorAsksItTwiceAtOnce() {
		publish("metrics-slow", 2);
		this.admin.gate = new CountDownLatch(1);
		ExecutorService refresher = Executors.newSingleThreadExecutor();
		AtomicInteger submitted = new AtomicInteger();
		Executor counting = (task) -> {
			submitted.incrementAndGet();
			refresher.execute(task);
		};
		try {
			new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-slow"), this.admin, Duration.ofSeconds(2),
					this.nanoTime::get, counting)
				.bindTo(this.registry);
			assertThat(queueLength("metrics-slow")).as("not read yet").isNaN();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.admin.calls.get() == 1);
			this.nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(3));
			assertThat(queueLength("metrics-slow")).as("still not read").isNaN();
			assertThat(submitted).as("one at a time").hasValue(1);

			this.admin.gate.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> queueLength("metrics-slow") == 2);
		}
		finally {
			refresher.shutdownNow();
		}
	}

	@Test
	void closedMetricsStopAskingTheBroker() {
		WorkerMetrics metrics = new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-closed"), this.admin);
		metrics.bindTo(this.registry);
		metrics.close();

		assertThat(queueLength("metrics-closed")).isNaN();
		assertThat(this.admin.calls).hasValue(0);
	}

	@Test
	void queueLengthIsNaNWhileTheBrokerCannotBeReached() {
		new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-down"), this.admin, Duration.ofSeconds(2),
				this.nanoTime::get, Runnable::run)
			.bindTo(this.registry);
		publish("metrics-down", 2);
		this.admin.down = true;
		assertThat(queueLength("metrics-down")).isNaN();

		this.admin.down = false;
		this.nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(2));
		assertThat(queueLength("metrics-down")).isEqualTo(2);
	}

	@Test
	void queuesConsumedLaterGainAGaugeAndCancelledQueuesLoseIt() {
		List<String> queues = new CopyOnWriteArrayList<>(List.of("metrics-a"));
		new WorkerMetrics(new WorkerState(), 4, () -> queues, this.admin, Duration.ofSeconds(2), System::nanoTime,
				Runnable::run)
			.bindTo(this.registry);
		assertThat(queueGauges()).containsExactly("metrics-a");

		queues.add("metrics-b");
		assertThat(gauge("taskqueue.worker.queues")).isEqualTo(2);
		assertThat(queueGauges()).containsExactlyInAnyOrder("metrics-a", "metrics-b");

		queues.remove("metrics-a");
		assertThat(gauge("taskqueue.worker.queues")).isOne();
		assertThat(queueGauges()).containsExactly("metrics-b");
	}

	@Test
	void withoutBrokerAdminThereAreNoQueueLengths() {
		new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-none"), null).bindTo(this.registry);

		assertThat(gauge("taskqueue.worker.queues")).isOne();
		assertThat(this.registry.find("taskqueue.queue.length").gauges()).isEmpty();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private double queueLength(String queue) {
		return this.registry.get("taskqueue.queue.length").tag("queue", queue).gauge().value();
	}

	private List<String> queueGauges() {
		return this.registry.find("taskqueue.queue.length").gauges().stream()
			.map((gauge) -> gauge.getId().getTag("queue"))
			.toList();
	}

	private void publish(String queue, int count) {
		for (int i = 0; i < count; i++) {
			this.broker.publish(new OutboundMessage(CODEC.encode(TaskMessageBuilder.task("tasks.add").build()),
					Destination.queue(queue)));
		}
	}

	/**
	 * The in-memory broker's admin operations, counted, and failing on demand.
	 */
	static class CountingAdmin implements BrokerAdmin {

		final AtomicInteger calls = new AtomicInteger();

		private final InMemoryBroker broker;

		volatile boolean down;

		volatile CountDownLatch gate = new CountDownLatch(0);

		CountingAdmin(InMemoryBroker broker) {
			this.broker = broker;
		}

		@Override
		public long size(String queue) {
			this.calls.incrementAndGet();
			try {
				this.gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new BrokerException("interrupted");
			}
			if (this.down) {
				throw new BrokerException("broker down");
			}
			return this.broker.size(queue);
		}

		@Override
		public List<DeadLetter> deadLetters(String queue, int limit) {
			return this.broker.deadLetters(queue, limit);
		}

		@Override
		public boolean requeueDeadLetter(String queue, String taskId) {
			return this.broker.requeueDeadLetter(queue, taskId);
		}

	}

	static class Tasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@CeleryTask(name = "test.block")
		void block() throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

}
