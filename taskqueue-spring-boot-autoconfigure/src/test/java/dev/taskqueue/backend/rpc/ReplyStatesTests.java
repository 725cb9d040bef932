package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReplyStates}: the latest state per task, bounded in time and in number,
 * and the listeners, called in order on a thread of their own.
 */
class ReplyStatesTests {

	private static final String PROGRESS = "PROGRESS";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ReplyStates states = new ReplyStates(Duration.ofHours(1), 3, this.clock, "test-results");

	@AfterEach
	void close() {
		this.states.close();
	}

	@Test
	void keepsTheLatestStatePerTask() {
		assertThat(this.states.latest("a")).isNull();
		this.states.received("a", ResultMeta.of("a", CeleryStates.STARTED, null));
		this.states.received("a", ResultMeta.of("a", PROGRESS, Map.of("done", 1)));
		assertThat(this.states.latest("a").status()).isEqualTo(PROGRESS);
		assertThat(this.states.latest("a").result()).isEqualTo(Map.of("done", 1));
		this.states.forget("a");
		assertThat(this.states.latest("a")).isNull();
	}

	@Test
	void successIsNotReplacedByALaterState() {
		this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, 5));
		this.states.received("a", ResultMeta.of("a", CeleryStates.STARTED, null));
		assertThat(this.states.latest("a").status()).isEqualTo(CeleryStates.SUCCESS);
		this.clock.advance(Duration.ofHours(2));
		this.states.received("a", ResultMeta.of("a", CeleryStates.STARTED, null));
		assertThat(this.states.latest("a").status()).isEqualTo(CeleryStates.STARTED);
	}

	@Test
	void failureIsReplacedByALaterState() {
		this.states.received("a", ResultMeta.of("a", CeleryStates.FAILURE, null));
		this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		assertThat(this.states.latest("a").status()).isEqualTo(CeleryStates.SUCCESS);
	}

	@Test
	void statesExpireAfterResultExpires() {
		this.states.received("old", ResultMeta.of("old", CeleryStates.SUCCESS, 1));
		this.clock.advance(Duration.ofMinutes(59));
		this.states.received("new", ResultMeta.of("new", CeleryStates.SUCCESS, 2));
		assertThat(this.states.latest("old")).isNotNull();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.states.latest("old")).isNull();
		assertThat(this.states.latest("new")).isNotNull();
		this.clock.advance(Duration.ofHours(1));
		this.states.received("newest", ResultMeta.of("newest", PROGRESS, null));
		assertThat(this.states.size()).isOne();
	}

	@Test
	void tasksUpdatedLeastRecentlyAreDroppedBeyondTheLimit() {
		this.states.received("a", ResultMeta.of("a", PROGRESS, 1));
		this.states.received("b", ResultMeta.of("b", PROGRESS, 1));
		this.states.received("c", ResultMeta.of("c", PROGRESS, 1));
		this.states.received("a", ResultMeta.of("a", PROGRESS, 2));
		this.states.received("d", ResultMeta.of("d", PROGRESS, 1));
		assertThat(this.states.size()).isEqualTo(3);
		assertThat(this.states.latest("b")).isNull();
		assertThat(this.states.latest("a").result()).isEqualTo(2);
		assertThat(this.states.latest("c")).isNotNull();
		assertThat(this.states.latest("d")).isNotNull();
	}

	@Test
	void neverExpiresWithZeroDuration() {
		ReplyStates forever = new ReplyStates(Duration.ZERO, 10, this.clock, "test-results");
		forever.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.clock.advance(Duration.ofDays(3650));
		assertThat(forever.latest("a")).isNotNull();
		forever.close();
	}

	@Test
	void listenersGetTheStatesReceivedFromNowOnInOrderOnTheirOwnThread() {
		this.states.received("a", ResultMeta.of("a", CeleryStates.STARTED, null));
		List<String> seen = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		ResultSubscription subscription = this.states.subscribe("a", (meta) -> {
			seen.add(meta.status() + ":" + meta.result());
			threads.add(Thread.currentThread().getName());
		});
		this.states.subscribe("b", (meta) -> seen.add("b"));
		for (int i = 0; i < 50; i++) {
			this.states.received("a", ResultMeta.of("a", PROGRESS, i));
		}
		this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, "done"));
		await().until(() -> seen.size() == 51);
		assertThat(seen.get(0)).isEqualTo("PROGRESS:0");
		assertThat(seen.get(49)).isEqualTo("PROGRESS:49");
		assertThat(seen.get(50)).isEqualTo("SUCCESS:done");
		assertThat(threads).containsOnly("test-results");
		subscription.close();
		this.states.forget("a");
		this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, "again"));
		this.states.received("b", ResultMeta.of("b", CeleryStates.SUCCESS, 1));
		await().until(() -> seen.contains("b"));
		assertThat(seen).hasSize(52);
	}

	@Test
	void aFailingListenerDoesNotStopTheOthers() {
		List<ResultMeta> seen = new CopyOnWriteArrayList<>();
		this.states.subscribe("a", (meta) -> {
			throw new IllegalStateException("listener bug");
		});
		this.states.subscribe("a", seen::add);
		this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		await().until(() -> seen.size() == 1);
	}

	@Test
	void followTellsTheLatestStateThenTheNewOnesOnTheirThread() {
		this.states.received("a", ResultMeta.of("a", CeleryStates.STARTED, null));
		this.states.received("a", ResultMeta.of("a", PROGRESS, 1));
		List<String> seen = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = this.states.follow("a", (meta) -> {
			seen.add(meta.status() + ":" + meta.result());
			threads.add(Thread.currentThread().getName());
		})) {
			this.states.received("a", ResultMeta.of("a", PROGRESS, 2));
			this.states.received("a", ResultMeta.of("a", CeleryStates.SUCCESS, "done"));
			await().until(() -> seen.size() == 3);
		}
		assertThat(seen).containsExactly("PROGRESS:1", "PROGRESS:2", "SUCCESS:done");
		assertThat(threads).containsOnly("test-results");
		List<String> none = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = this.states.follow("b", (meta) -> none.add(meta.status()))) {
			this.states.received("b", ResultMeta.of("b", CeleryStates.SUCCESS, 1));
			await().until(() -> none.size() == 1);
		}
		assertThat(none).containsExactly(CeleryStates.SUCCESS);
	}

	@Test
	void followWhileStatesArriveTellsEachStateOnceInOrder() {
		for (int round = 0; round < 50; round++) {
			String taskId = "race-" + round;
			List<Object> sent = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				sent.add(i);
			}
			sent.add("done");
			CompletableFuture<Void> receiving = CompletableFuture.runAsync(() -> sent
				.forEach((result) -> this.states.received(taskId, ResultMeta.of(taskId,
						"done".equals(result) ? CeleryStates.SUCCESS : PROGRESS, result))));
			while (this.states.latest(taskId) == null) {
				Thread.onSpinWait();
			}
			List<Object> told = new CopyOnWriteArrayList<>();
			try (ResultSubscription subscription = this.states.follow(taskId, (meta) -> told.add(meta.result()))) {
				receiving.join();
				await().until(() -> !told.isEmpty() && "done".equals(told.get(told.size() - 1)));
			}
			assertThat(Collections.indexOfSubList(sent, told))
				.as("round %d: %d states told, from %s to %s", round, told.size(), told.get(0),
						told.subList(Math.max(0, told.size() - 3), told.size()))
				.isEqualTo(sent.size() - told.size());
		}
	}

}
