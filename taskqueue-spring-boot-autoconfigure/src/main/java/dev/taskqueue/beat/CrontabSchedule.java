package dev.taskqueue.beat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Celery 5.2's {@code crontab(minute, hour, day_of_week, day_of_month, month_of_year)}: due at
 * each minute whose wall-clock time in the zone matches every field. As in Celery, and unlike
 * Vixie cron, the day of the month and the day of the week must <em>both</em> match
 * ({@code day_of_week=1, day_of_month='1-7'} is the first Monday of a month). The fields parse
 * as {@link CrontabField} describes.
 * <p>
 * {@link #nextAfter} is the time Celery's beat sends the task after a run at {@code after},
 * checking {@code is_due(last_run_at)} as time passes: the first instant after {@code after}
 * whose wall-clock time has reached the next matching wall-clock minute {@code W} after that
 * of {@code after}. Across daylight saving changes this means:
 * <ul>
 * <li>when {@code W} does not exist (clocks spring forward over it), the tick is due when the
 * gap ends: {@code 30 2 * * *} in Europe/Berlin runs at 03:00 CEST on 2026-03-29; the ticks of
 * the gap and of that first minute after it fall together into one, so {@code 0 * * * *} runs
 * at 01:00 CET, 03:00 CEST, 04:00 CEST;</li>
 * <li>when {@code W} occurs twice (clocks fall back), the tick is due at its first occurrence;
 * wall-clock times already passed are not repeated in the hour that repeats, so
 * {@code 30 2 * * *} runs once, and {@code *&#47;15 * * * *} pauses for that hour.</li>
 * </ul>
 * Celery 5.2.6 skips to the next matching month after a run late in the evening in zones west
 * of UTC when {@code day_of_month} or {@code month_of_year} is not {@code *} (it compares the
 * candidate day's UTC midnight with the last run); this class does not copy that bug.
 *
 * @param minute the minutes, 0-59
 * @param hour the hours, 0-23
 * @param dayOfWeek the days of the week, 0-6 with 0 (or 7) for Sunday
 * @param dayOfMonth the days of the month, 1-31
 * @param monthOfYear the months, 1-12
 */
record CrontabSchedule(CrontabField minute, CrontabField hour, CrontabField dayOfWeek, CrontabField dayOfMonth,
		CrontabField monthOfYear) implements Schedule {

	// enough for the rarest date: a Feb 29 on a given day of the week, every 28 years
	private static final int MAX_YEARS = 60;

	CrontabSchedule {
		boolean possible = false;
		for (Month month : Month.values()) {
			possible |= monthOfYear.matches(month.getValue())
					&& dayOfMonth.nextFrom(1) != -1 && dayOfMonth.nextFrom(1) <= month.maxLength();
		}
		if (!possible) {
			throw new IllegalArgumentException("Invalid crontab: no month of '" + monthOfYear.spec()
					+ "' has a day '" + dayOfMonth.spec() + "'");
		}
	}

	/**
	 * Parse {@code minute hour day-of-month month day-of-week}, as cron orders them.
	 * @param expression the five fields, separated by blanks
	 * @return the schedule
	 * @throws IllegalArgumentException when it is invalid, naming the field and value
	 */
	static CrontabSchedule parse(String expression) {
		String[] fields = (expression != null) ? expression.strip().split("\\s+") : new String[0];
		if (fields.length != 5 || fields[0].isEmpty()) {
			throw new IllegalArgumentException("Invalid crontab '" + expression
					+ "': expected 5 fields, minute hour day-of-month month day-of-week");
		}
		return of(fields[0], fields[1], fields[4], fields[2], fields[3]);
	}

	/**
	 * Build from Celery's fields, in Celery's order.
	 * @param minute the minutes, {@code null} for {@code *}
	 * @param hour the hours, {@code null} for {@code *}
	 * @param dayOfWeek the days of the week, {@code null} for {@code *}
	 * @param dayOfMonth the days of the month, {@code null} for {@code *}
	 * @param monthOfYear the months, {@code null} for {@code *}
	 * @return the schedule
	 * @throws IllegalArgumentException when a field is invalid, naming the field and value
	 */
	static CrontabSchedule of(@Nullable String minute, @Nullable String hour, @Nullable String dayOfWeek,
			@Nullable String dayOfMonth, @Nullable String monthOfYear) {
		return new CrontabSchedule(CrontabField.parse("minute", minute, 0, 59),
				CrontabField.parse("hour", hour, 0, 23), CrontabField.parse("day_of_week", dayOfWeek, 0, 6),
				CrontabField.parse("day_of_month", dayOfMonth, 1, 31),
				CrontabField.parse("month_of_year", monthOfYear, 1, 12));
	}

	@Override
	public Instant nextAfter(Instant after, ZoneId zone) {
		ZoneRules rules = zone.getRules();
		LocalDateTime wall = nextWallTime(LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES));
		List<ZoneOffset> offsets = rules.getValidOffsets(wall);
		if (offsets.isEmpty()) {
			return rules.getTransition(wall).getInstant();
		}
		Instant first = wall.toInstant(offsets.get(0));
		return first.isAfter(after) ? first : wall.toInstant(offsets.get(offsets.size() - 1));
	}

	private LocalDateTime nextWallTime(LocalDateTime from) {
		LocalDateTime limit = from.plusYears(MAX_YEARS);
		LocalDateTime next = from.plusMinutes(1);
		while (next.isBefore(limit)) {
			LocalDate day = next.toLocalDate();
			if (!this.monthOfYear.matches(day.getMonthValue())) {
				next = day.withDayOfMonth(1).plusMonths(1).atStartOfDay();
				continue;
			}
			if (!matchesDay(day)) {
				next = day.plusDays(1).atStartOfDay();
				continue;
			}
			int hour = this.hour.nextFrom(next.getHour());
			int minute = (hour == next.getHour()) ? this.minute.nextFrom(next.getMinute()) : this.minute.nextFrom(0);
			if (hour == next.getHour() && minute == -1) {
				hour = this.hour.nextFrom(hour + 1);
				minute = this.minute.nextFrom(0);
			}
			if (hour == -1) {
				next = day.plusDays(1).atStartOfDay();
				continue;
			}
			return day.atTime(hour, minute);
		}
		throw new IllegalStateException("No time matches " + this + " within " + MAX_YEARS + " years of " + from);
	}

	private boolean matchesDay(LocalDate day) {
		return this.monthOfYear.matches(day.getMonthValue()) && this.dayOfMonth.matches(day.getDayOfMonth())
				&& this.dayOfWeek.matches(day.getDayOfWeek().getValue() % 7);
	}

	@Override
	public String toString() {
		return "crontab(" + this.minute.spec() + " " + this.hour.spec() + " " + this.dayOfMonth.spec() + " "
				+ this.monthOfYear.spec() + " " + this.dayOfWeek.spec() + ")";
	}

}
