package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * When a periodic task is due: a fixed interval (Celery's {@code schedule(run_every)}) or a
 * crontab (Celery's {@code crontab(...)}).
 */
public interface Schedule {

	/**
	 * The first time this schedule is due strictly after a given time, as Celery computes it
	 * from an entry's last run: the last run plus the interval, or the next matching minute of
	 * the crontab in the zone.
	 * @param after the last run (or, for an entry that never ran, the time the scheduler
	 * started following it)
	 * @param zone the zone crontab fields are read in (Celery's {@code timezone})
	 * @return the next due time, after {@code after}
	 */
	Instant nextAfter(Instant after, ZoneId zone);

	/**
	 * How long a tick sent at {@code due} stays valid: the interval, or the time until the next
	 * crontab tick, so that a late message does not pile up behind the next one.
	 * @param due when the tick was due
	 * @param zone the zone of the schedule
	 * @return the default expiry of the tick's message
	 */
	default Duration expiryOf(Instant due, ZoneId zone) {
		return Duration.between(due, nextAfter(due, zone));
	}

	/**
	 * A fixed interval.
	 * @param every the interval, positive
	 * @return the schedule
	 */
	static Schedule every(Duration every) {
		return new IntervalSchedule(every);
	}

	/**
	 * A crontab in one 5-field string, {@code minute hour day-of-month month day-of-week}, with
	 * Celery's day-of-week numbering and names (0 or 7 = Sunday, {@code mon-fri}).
	 * @param expression the expression
	 * @return the schedule
	 * @throws IllegalArgumentException when the expression is invalid, naming the field
	 */
	static Schedule cron(String expression) {
		return CrontabSchedule.parse(expression);
	}

	/**
	 * A crontab from separate fields, as Celery's {@code crontab(minute=..., hour=...,
	 * day_of_week=..., day_of_month=..., month_of_year=...)}; {@code null} fields are {@code *}.
	 * @param minute the minutes
	 * @param hour the hours
	 * @param dayOfWeek the days of the week
	 * @param dayOfMonth the days of the month
	 * @param monthOfYear the months
	 * @return the schedule
	 * @throws IllegalArgumentException when a field is invalid, naming it
	 */
	static Schedule crontab(@Nullable String minute, @Nullable String hour, @Nullable String dayOfWeek,
			@Nullable String dayOfMonth, @Nullable String monthOfYear) {
		return CrontabSchedule.of(minute, hour, dayOfWeek, dayOfMonth, monthOfYear);
	}

}
