package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits on a worker consuming a transport (the subclass gives it): tasks of a limited
 * type start no closer than their interval on average; another type sent behind a backlog of
 * them runs at once; tasks waiting for a token go back to the broker when the worker stops and
 * run after it starts again, each once. Queue names start with {@code rate-}.
 */
abstract class RateLimitTransportTests {

	static final Duration PATIENCE = Duration.ofSeconds(30);

	final String queue = "rate-" + UUID.randomUUID().toString().substring(0, 8);

	final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(5));

	private final List<WorkerContainer> workers = new ArrayList<>();

	/**
	 * A broker on the transport under test, cleaned up by the subclass after the test.
	 * @return the broker
	 */
	abstract Broker broker();

	/** Remove what the test left in the transport, once the workers stopped. */
	abstract void cleanUp();

	@AfterEach
	void stopWorkersAndCleanUp() {
		try {
			this.workers.forEach(WorkerContainer::stop);
		}
		finally {
			cleanUp();
		}
	}

	@Test
	void limitedTasksStartNoCloserThanTheirIntervalOnAverage() {
		Fixture fixture = new Fixture(broker(), 4, 1);
		for (int i = 0; i < 11; i++) {
			fixture.template.send("rate.limited");
		}
		fixture.worker.start();

		await().atMost(PATIENCE).until(() -> fixture.tasks.limited.size() == 11);
		List<Long> gaps = RateLimitedTasks.gaps(fixture.tasks.limited);
		double mean = gaps.stream().mapToLong(Long::longValue).average().orElseThrow();
		assertThat(mean).as("mean gap, ns").isGreaterThanOrEqualTo(RateLimitedTasks.LIMITED_INTERVAL_NANOS * 0.95);
		assertThat(gaps).as("gaps, ns").allSatisfy((gap) -> assertThat(gap)
			.isGreaterThan(RateLimitedTasks.LIMITED_INTERVAL_NANOS / 2));
	}

	@Test
	void otherTaskSentBehindABacklogOfLimitedOnesRunsAtOnce() {
		Fixture fixture = new Fixture(broker(), 2, 1);
		for (int i = 0; i < 30; i++) {
			fixture.template.send("rate.limited");
		}
		fixture.template.send("rate.free");
		fixture.worker.start();

		await().atMost(PATIENCE).until(() -> fixture.tasks.free.size() == 1);
		long freeStarted = fixture.tasks.free.peek();
		// the backlog takes 3 s at 10/s; with the prefetch of 2 held by it, the free task would start last
		assertThat(fixture.tasks.limited.stream().filter((started) -> started < freeStarted).count())
			.as("limited tasks started before the free one")
			.isLessThan(10);
		await().atMost(PATIENCE).until(() -> fixture.tasks.limited.size() == 30);
	}

	@Test
	void waitingTasksGoBackToTheBrokerWhenTheWorkerStopsAndRunOnceAfterItStarts() {
		Fixture fixture = new Fixture(broker(), 2, 1);
		for (int i = 0; i < 12; i++) {
			fixture.template.send("rate.slow", i);
		}
		fixture.worker.start();
		await().atMost(PATIENCE).until(() -> fixture.tasks.slowRan.size() >= 2);

		fixture.worker.stop();
		int ran = fixture.tasks.slowRan.size();
		assertThat(ran).isLessThan(12);
		await().atMost(PATIENCE).until(() -> ((BrokerAdmin) fixture.broker).size(this.queue) == 12 - ran);
		assertThat(fixture.state.reservedCount()).isZero();

		fixture.worker.start();
		await().atMost(PATIENCE).until(() -> fixture.tasks.slowRan.size() >= 12);
		assertThat(fixture.tasks.slowRan).doesNotHaveDuplicates().hasSize(12);
	}

	/**
	 * A registry whose settings a test can change while tasks wait, as a remote-control
	 * command changes them.
	 */
	static final class ChangingRegistry extends TaskRegistry {

		volatile UnaryOperator<TaskSettings> change = UnaryOperator.identity();

		@Override
		public @Nullable TaskEndpoint find(String name) {
			TaskEndpoint endpoint = super.find(name);
			return (endpoint != null) ? endpoint.withSettings(this.change.apply(endpoint.settings())) : null;
		}

	}

	/** A worker with {@link RateLimitedTasks} on the queue of the test, and a template. */
	final class Fixture {

		final Broker broker;

		final ChangingRegistry registry = new ChangingRegistry();

		final RateLimitedTasks tasks = new RateLimitedTasks();

		final WorkerState state = new WorkerState();

		final TaskTemplate template;

		final WorkerContainer worker;

		Fixture(Broker broker, int concurrency, int multiplier) {
			this(broker, concurrency, multiplier, WorkerSettings.DEFAULT_MAX_HELD_ETA);
		}

		/**
		 * A worker with {@link RateLimitedTasks} and other task beans.
		 * @param broker the broker
		 * @param concurrency the pool size
		 * @param multiplier the prefetch multiplier
		 * @param maxHeld the most tasks held outside the prefetch window
		 * @param moreTasks more beans with tasks
		 */
		Fixture(Broker broker, int concurrency, int multiplier, int maxHeld, Object... moreTasks) {
			this.broker = broker;
			CeleryTaskAnnotationBeanPostProcessor processor = new CeleryTaskAnnotationBeanPostProcessor(this.registry);
			processor.postProcessAfterInitialization(this.tasks, "tasks");
			for (int i = 0; i < moreTasks.length; i++) {
				processor.postProcessAfterInitialization(moreTasks[i], "moreTasks" + i);
			}
			this.template = new TaskTemplate(broker, RateLimitTransportTests.this.backend,
					DefaultTaskRouter.withDefaultQueue(RateLimitTransportTests.this.queue), new JsonMessageCodec(),
					CeleryJson.newMapper(), DataSize.ofMegabytes(8));
			WorkerSettings settings = new WorkerSettings("celery@rate-" + UUID.randomUUID(),
					List.of(RateLimitTransportTests.this.queue), concurrency, multiplier, Duration.ofSeconds(5), false, maxHeld, WorkerSettings.DEFAULT_STALL_TIMEOUT, WorkerSettings.DEFAULT_MAX_DELIVERIES);
			this.worker = new WorkerContainer(broker, RateLimitTransportTests.this.backend, this.registry, this.state,
					settings, CeleryJson.newMapper(), null);
			RateLimitTransportTests.this.workers.add(this.worker);
		}

	}

}
