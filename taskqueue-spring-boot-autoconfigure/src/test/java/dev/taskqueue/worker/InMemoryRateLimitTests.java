package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.JsonMessageCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link RateLimitTransportTests} on the in-memory broker, and what does not depend on the
 * transport: a changed rate applies to tasks already waiting, tasks held for their ETA obey
 * the limit when they come due, and a cluster-wide limit without shared buckets keeps the
 * worker from starting.
 */
class InMemoryRateLimitTests extends RateLimitTransportTests {

	@Override
	Broker broker() {
		return new InMemoryBroker(new JsonMessageCodec());
	}

	@Override
	void cleanUp() {
	}

	@Test
	void liftedRateStartsTheTasksAlreadyWaitingWhenTheirTokenWasDue() {
		Fixture fixture = new Fixture(broker(), 2, 1);
		for (int i = 0; i < 8; i++) {
			fixture.template.send("rate.slow", i);
		}
		fixture.worker.start();
		await().atMost(PATIENCE).until(() -> fixture.tasks.slowRan.size() >= 2);

		fixture.registry.change = (settings) -> new TaskSettings(settings.ignoreResult(), settings.trackStarted(),
				settings.acksLate(), settings.rejectOnWorkerLost(), settings.retry(), settings.timeLimit(),
				settings.softTimeLimit(), null, settings.rateLimitScope());
		await().atMost(PATIENCE).until(() -> fixture.tasks.slowRan.size() == 8);

		// at 4/s the last five would take a second; lifted, they start together at the next wake-up
		List<Long> starts = fixture.tasks.slow.stream().sorted().toList();
		assertThat(starts.get(7) - starts.get(3)).as("span of the last five starts, ns")
			.isLessThan(RateLimitedTasks.SLOW_INTERVAL_NANOS / 2);
	}

	@Test
	void tasksHeldForTheirEtaObeyTheLimitWhenTheyComeDue() {
		Fixture fixture = new Fixture(broker(), 4, 1);
		fixture.worker.start();
		for (int i = 0; i < 6; i++) {
			fixture.template.task("rate.limited").countdown(Duration.ofMillis(300)).send();
		}

		await().atMost(PATIENCE).until(() -> fixture.tasks.limited.size() == 6);
		assertThat(RateLimitedTasks.gaps(fixture.tasks.limited)).allSatisfy((gap) -> assertThat(gap)
			.isGreaterThan(RateLimitedTasks.LIMITED_INTERVAL_NANOS / 2));
	}

	@Test
	void clusterWideLimitWithoutSharedBucketsKeepsTheWorkerFromStarting() {
		Fixture fixture = new Fixture(broker(), 1, 1, 10, new RateLimitedTasks.ClusterLimited());

		assertThatIllegalStateException().isThrownBy(fixture.worker::start)
			.withMessageContaining("Tasks [rate.shared] have a rate limit with rateLimitScope CLUSTER")
			.withMessageContaining("use a Redis broker or result backend");
		assertThat(fixture.worker.isRunning()).isFalse();
	}

}
