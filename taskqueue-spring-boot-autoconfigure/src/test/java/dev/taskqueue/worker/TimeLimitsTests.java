package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.SoftTimeLimitExceededException;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TimeLimit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TimeLimits}: which limits a run gets, and how their failures are written.
 */
class TimeLimitsTests {

	private static final TaskSettings TASK = withLimits(Duration.ofSeconds(30), Duration.ofSeconds(25));

	@Test
	void noLimitsAnywhereMeansNothingToWatch() {
		assertThat(TimeLimits.of(TimeLimit.NONE, TaskSettings.DEFAULTS)).isNull();
		assertThat(TimeLimits.of(new TimeLimit(null, null), TaskSettings.DEFAULTS)).isNull();
	}

	@Test
	void theTasksLimitsApplyWithoutAHeader() {
		assertThat(TimeLimits.of(TimeLimit.NONE, TASK))
			.isEqualTo(new TimeLimits(Duration.ofSeconds(30), Duration.ofSeconds(25)));
	}

	@Test
	void eachHeaderElementWinsOnItsOwn() {
		assertThat(TimeLimits.of(new TimeLimit(2.5, null), TASK))
			.isEqualTo(new TimeLimits(Duration.ofMillis(2500), Duration.ofSeconds(25)));
		assertThat(TimeLimits.of(new TimeLimit(null, 0.25), TASK))
			.isEqualTo(new TimeLimits(Duration.ofSeconds(30), Duration.ofMillis(250)));
		assertThat(TimeLimits.of(new TimeLimit(60.0, 50.0), TaskSettings.DEFAULTS))
			.isEqualTo(new TimeLimits(Duration.ofSeconds(60), Duration.ofSeconds(50)));
	}

	@Test
	void aHeaderElementThatIsNotPositiveFallsBackAsInCelery() {
		assertThat(TimeLimits.of(new TimeLimit(0.0, -1.0), TASK))
			.isEqualTo(new TimeLimits(Duration.ofSeconds(30), Duration.ofSeconds(25)));
		assertThat(TimeLimits.of(new TimeLimit(Double.NaN, 0.0), TaskSettings.DEFAULTS)).isNull();
	}

	@Test
	void aHugeHeaderElementIsALimitFarAway() {
		TimeLimits limits = TimeLimits.of(new TimeLimit(1e300, null), TaskSettings.DEFAULTS);
		assertThat(limits.hard()).isGreaterThan(Duration.ofDays(365 * 200));
	}

	@Test
	void theSoftLimitIsWatchedOnlyWhenItCanPassFirst() {
		assertThat(new TimeLimits(Duration.ofSeconds(30), Duration.ofSeconds(25)).softFirst()).isTrue();
		assertThat(new TimeLimits(null, Duration.ofSeconds(25)).softFirst()).isTrue();
		assertThat(new TimeLimits(Duration.ofSeconds(30), Duration.ofSeconds(30)).softFirst()).isFalse();
		assertThat(new TimeLimits(Duration.ofSeconds(30), null).softFirst()).isFalse();
	}

	@Test
	void failuresAreCeleryExceptionsWithTheSecondsAsArgument() {
		assertThat(new TimeLimits(Duration.ofSeconds(30), null).timeLimitExceeded())
			.isEqualTo(new ExceptionInfo("TimeLimitExceeded", List.of(30), "billiard.exceptions"));
		assertThat(new TimeLimits(Duration.ofMillis(1500), null).timeLimitExceeded().message()).containsExactly(1.5);
		assertThat(TimeLimits.describe(new SoftTimeLimitExceededException(Duration.ofSeconds(25), null)))
			.isEqualTo(new ExceptionInfo("SoftTimeLimitExceeded", List.of(25), "billiard.exceptions"));
		assertThat(TimeLimits.describe(new IllegalStateException("boom")))
			.isEqualTo(ExceptionInfo.of(new IllegalStateException("boom")));
	}

	private static TaskSettings withLimits(Duration hard, Duration soft) {
		TaskSettings defaults = TaskSettings.DEFAULTS;
		return new TaskSettings(defaults.ignoreResult(), defaults.trackStarted(), defaults.acksLate(),
				defaults.rejectOnWorkerLost(), defaults.retry(), hard, soft, defaults.rateLimit(),
				defaults.rateLimitScope());
	}

}
