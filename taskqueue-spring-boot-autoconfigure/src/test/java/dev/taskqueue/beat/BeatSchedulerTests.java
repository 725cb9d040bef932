package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.test.RecordingTaskOperations;
import dev.taskqueue.test.SentTask;
import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler's rules, on a clock the test moves: an entry falls due one period after it is
 * first followed, ticks missed while no one led go out once, the last tick is kept in the store
 * for the next leader, and an instance that loses the lead stops sending.
 */
class BeatSchedulerTests {

	private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MutableClock clock = new MutableClock(START);

	private final RecordingTaskOperations tasks = new RecordingTaskOperations();

	private final TestLeadership leadership = new TestLeadership();

	private final MapStore store = new MapStore();

	private BeatScheduler scheduler;

	@AfterEach
	void stop() {
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
	}

	@Test
	void anEntryFallsDueOnePeriodAfterItIsFirstFollowedAndCarriesItsHeadersAndExpiry() {
		start(ScheduleEntry.builder("add-10s", "tasks.add")
			.args(1, 2)
			.every(Duration.ofSeconds(10))
			.countdown(Duration.ofSeconds(3))
			.build());
		await().atMost(TIMEOUT).until(this.scheduler::isLeader);
		assertThat(this.tasks.sent()).isEmpty();
		this.clock.advance(Duration.ofSeconds(10));
		SentTask tick = await().atMost(TIMEOUT).until(() -> this.tasks.sent("tasks.add"), (sent) -> sent.size() == 1)
			.get(0);
		assertThat(tick.args()).containsExactly(1, 2);
		assertThat(tick.headers()).containsEntry(BeatScheduler.ENTRY_HEADER, "add-10s")
			.containsEntry(BeatScheduler.DUE_HEADER, CeleryTime.format(START.plusSeconds(10)));
		assertThat(tick.expires()).isEqualTo(START.plusSeconds(20));
		assertThat(tick.eta()).isEqualTo(START.plusSeconds(13));
		assertThat(this.store.lastRun("add-10s")).isEqualTo(START.plusSeconds(10));
	}

	@Test
	void ticksMissedWhileNoOneLedGoOutOnceAsTheLatest() {
		this.store.saveLastRun("add-10s", START.minusSeconds(65));
		start(ScheduleEntry.builder("add-10s", "tasks.add").every(Duration.ofSeconds(10)).build());
		SentTask tick = await().atMost(TIMEOUT).until(() -> this.tasks.sent("tasks.add"), (sent) -> !sent.isEmpty())
			.get(0);
		assertThat(tick.headers()).containsEntry(BeatScheduler.DUE_HEADER, CeleryTime.format(START.minusSeconds(5)));
		assertThat(this.store.lastRun("add-10s")).isEqualTo(START.minusSeconds(5));
		this.clock.advance(Duration.ofSeconds(4));
		await().during(Duration.ofMillis(400)).atMost(TIMEOUT).until(() -> this.tasks.sent("tasks.add").size() == 1);
		this.clock.advance(Duration.ofSeconds(1));
		await().atMost(TIMEOUT).until(() -> this.tasks.sent("tasks.add").size() == 2);
	}

	@Test
	void anInstanceThatDoesNotLeadSendsNothingAndOneThatLosesTheLeadStops() {
		this.leadership.leads.set(false);
		start(ScheduleEntry.builder("add-1s", "tasks.add").every(Duration.ofSeconds(1)).build());
		this.clock.advance(Duration.ofSeconds(5));
		await().during(Duration.ofMillis(400)).atMost(TIMEOUT).until(() -> this.tasks.sent().isEmpty());
		this.leadership.leads.set(true);
		this.clock.advance(Duration.ofSeconds(1));
		await().atMost(TIMEOUT).until(this.scheduler::isLeader);
		this.clock.advance(Duration.ofSeconds(1));
		await().atMost(TIMEOUT).until(() -> this.tasks.sent().size() == 1);
		this.leadership.leads.set(false);
		this.clock.advance(Duration.ofSeconds(11));
		await().atMost(TIMEOUT).until(() -> !this.scheduler.isLeader());
		int sent = this.tasks.sent().size();
		this.clock.advance(Duration.ofSeconds(5));
		await().during(Duration.ofMillis(400)).atMost(TIMEOUT).until(() -> this.tasks.sent().size() == sent);
	}

	@Test
	void aLeaderThatCannotReadTheLastRunsGivesUpTheLeadInsteadOfSendingBlind() {
		this.store.failing.set(true);
		start(ScheduleEntry.builder("add-1s", "tasks.add").every(Duration.ofSeconds(1)).build());
		await().atMost(TIMEOUT).until(() -> this.leadership.releases.get() > 0);
		assertThat(this.leadership.releases.get()).as("asks again only a second later").isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(5));
		await().atMost(TIMEOUT).until(() -> this.leadership.releases.get() == 2);
		assertThat(this.scheduler.isLeader()).isFalse();
		assertThat(this.tasks.sent()).isEmpty();
	}

	@Test
	void runNowSendsAnEntryWithoutMovingItsSchedule() {
		start(ScheduleEntry.builder("report", "tasks.report").every(Duration.ofHours(1)).build());
		await().atMost(TIMEOUT).until(this.scheduler::isLeader);
		String id = this.scheduler.runNow("report");
		assertThat(this.tasks.sentOnce("tasks.report").id()).isEqualTo(id);
		assertThat(this.scheduler.entries()).singleElement()
			.satisfies((entry) -> assertThat(entry.nextRun()).isEqualTo(START.plus(Duration.ofHours(1))));
	}

	private void start(ScheduleEntry... entries) {
		this.scheduler = new BeatScheduler(this.tasks, List.of(entries), this.leadership, this.store,
				ZoneId.of("UTC"), Duration.ofSeconds(30), this.clock);
		this.scheduler.start();
	}

	/** Leadership the test grants and takes away. */
	static final class TestLeadership implements BeatLeadership {

		final AtomicBoolean leads = new AtomicBoolean(true);

		final java.util.concurrent.atomic.AtomicInteger releases = new java.util.concurrent.atomic.AtomicInteger();

		@Override
		public boolean tryLead() {
			return this.leads.get();
		}

		@Override
		public void release() {
			this.releases.incrementAndGet();
		}

		@Override
		public String describe() {
			return "test";
		}

	}

	/** A store in a map. */
	static final class MapStore implements BeatStore {

		private final Map<String, Instant> runs = new ConcurrentHashMap<>();

		final AtomicBoolean failing = new AtomicBoolean();

		@Override
		public @Nullable Instant lastRun(String entry) {
			if (this.failing.get()) {
				throw new IllegalStateException("store down");
			}
			return this.runs.get(entry);
		}

		@Override
		public void saveLastRun(String entry, Instant due) {
			this.runs.put(entry, due);
		}

	}

}
