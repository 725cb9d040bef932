package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.springframework.util.Assert;

/**
 * Celery's {@code schedule(run_every)}: due one interval after the last run.
 *
 * @param every the interval
 */
record IntervalSchedule(Duration every) implements Schedule {

	IntervalSchedule {
		Assert.isTrue(every != null && !every.isNegative() && !every.isZero(),
				() -> "The interval must be positive, got " + every);
	}

	@Override
	public Instant nextAfter(Instant after, ZoneId zone) {
		return after.plus(this.every);
	}

	@Override
	public Duration expiryOf(Instant due, ZoneId zone) {
		return this.every;
	}

	@Override
	public String toString() {
		return "every " + this.every;
	}

}
