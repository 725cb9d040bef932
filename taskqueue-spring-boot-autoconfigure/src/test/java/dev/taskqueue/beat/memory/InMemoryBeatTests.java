package dev.taskqueue.beat.memory;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryBeatLeadership} and {@link InMemoryBeatStore}.
 */
class InMemoryBeatTests {

	@Test
	void theOnlyInstanceAlwaysLeadsEvenAfterReleasing() {
		InMemoryBeatLeadership leadership = new InMemoryBeatLeadership();
		assertThat(leadership.tryLead()).isTrue();
		leadership.release();
		assertThat(leadership.tryLead()).isTrue();
		assertThat(leadership.describe()).startsWith("memory");
	}

	@Test
	void theStoreKeepsTheLastTickOfEachEntry() {
		InMemoryBeatStore store = new InMemoryBeatStore();
		assertThat(store.lastRun("nightly")).isNull();

		store.saveLastRun("nightly", Instant.parse("2026-12-04T00:00:00Z"));
		store.saveLastRun("nightly", Instant.parse("2026-12-05T00:00:00Z"));

		assertThat(store.lastRun("nightly")).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
		assertThat(store.lastRun("hourly")).isNull();
	}

}
