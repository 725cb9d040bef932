package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Parsing and a few due times of {@link CrontabSchedule}; {@link CrontabScheduleCeleryTests}
 * compares many more due times with Celery's.
 */
class CrontabScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void expandsListsRangesAndSteps() {
		assertThat(values(CrontabField.parse("minute", "1,13,30-45,50-59/2", 0, 59))).containsExactly(1, 13, 30, 31,
				32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 50, 52, 54, 56, 58);
		assertThat(values(CrontabField.parse("minute", "*/15", 0, 59))).containsExactly(0, 15, 30, 45);
		assertThat(values(CrontabField.parse("day_of_month", "*/10", 1, 31))).containsExactly(1, 11, 21, 31);
		assertThat(values(CrontabField.parse("month_of_year", "2-12/3", 1, 12))).containsExactly(2, 5, 8, 11);
	}

	@Test
	void rangesWrapAroundAsInCelery() {
		assertThat(values(CrontabField.parse("hour", "22-2", 0, 23))).containsExactly(0, 1, 2, 22, 23);
		// the step applies to 25, 26, ..., 31, 1, ..., 5
		assertThat(values(CrontabField.parse("day_of_month", "25-5/3", 1, 31))).containsExactly(3, 25, 28, 31);
		assertThat(values(dayOfWeek("fri-mon"))).containsExactly(0, 1, 5, 6);
	}

	@Test
	void daysOfWeekByNumberOrName() {
		assertThat(values(dayOfWeek("0"))).containsExactly(0);
		assertThat(dayOfWeek("7").bits()).isEqualTo(dayOfWeek("0").bits()).isEqualTo(dayOfWeek("sun").bits())
			.isEqualTo(dayOfWeek("SUNDAY").bits());
		assertThat(values(dayOfWeek("mon-fri"))).containsExactly(1, 2, 3, 4, 5);
		assertThat(values(dayOfWeek("Tues,thurs,sat"))).containsExactly(2, 4, 6);
		assertThat(values(dayOfWeek("5-7"))).containsExactly(0, 5, 6);
		assertThat(values(dayOfWeek("*"))).containsExactly(0, 1, 2, 3, 4, 5, 6);
		assertThat(values(dayOfWeek("*/2"))).containsExactly(0, 2, 4, 6);
	}

	@Test
	void sundayIsZeroSevenOrSun() {
		Instant thursday = Instant.parse("2026-01-01T12:00:00Z");
		ZoneId utc = ZoneId.of("UTC");
		for (String sunday : List.of("0", "7", "sun", "Sunday")) {
			assertThat(Schedule.cron("0 10 * * " + sunday).nextAfter(thursday, utc)).isEqualTo("2026-01-04T10:00:00Z");
		}
	}

	@Test
	void nullFieldsAreStarsAndToStringIsInCronOrder() {
		assertThat(CrontabSchedule.of(null, null, null, null, null)).hasToString("crontab(* * * * *)");
		assertThat(CrontabSchedule.of("0", "10", "mon", "1-7", "2")).hasToString("crontab(0 10 1-7 2 mon)");
		assertThat(Schedule.cron("  0  10,17 * * *\t")).hasToString("crontab(0 10,17 * * *)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
			0 24 * * *;      Invalid crontab field 'hour': 24 is not between 0 and 23
			60 * * * *;      Invalid crontab field 'minute': 60 is not between 0 and 59
			* * 0 * *;       Invalid crontab field 'day_of_month': 0 is not between 1 and 31
			* * 32 * *;      Invalid crontab field 'day_of_month': 32 is not between 1 and 31
			* * * 13 *;      Invalid crontab field 'month_of_year': 13 is not between 1 and 12
			* * * jan *;     Invalid crontab field 'month_of_year': 'jan' is not a number
			* * * * 8;       Invalid crontab field 'day_of_week': 8 is not between 0 and 7
			* * * * funday;  Invalid crontab field 'day_of_week': 'funday' is not a number or a day name
			* * * * mo;      Invalid crontab field 'day_of_week': 'mo' is not a number or a day name
			mon * * * *;     Invalid crontab field 'minute': 'mon' is not a number
			1,,2 * * * *;    Invalid crontab field 'minute': empty part in '1,,2'
			*/0 * * * *;     Invalid crontab field 'minute': the step of '*/0' must be between 1 and 999999999
			1-5/ * * * *;    Invalid crontab field 'minute': the step of '1-5/' is not a number
			5/2 * * * *;     Invalid crontab field 'minute': a step needs * or a range before it, got '5/2'
			1-5-7 * * * *;   Invalid crontab field 'minute': '5-7' is not a number
			-5 * * * *;      Invalid crontab field 'minute': '-5' is not a number or range
			* * 30,31 2 *;   Invalid crontab: no month of '2' has a day '30,31'
			* * * *;         Invalid crontab '* * * *': expected 5 fields, minute hour day-of-month month day-of-week
			* * * * * *;     Invalid crontab '* * * * * *': expected 5 fields, minute hour day-of-month month day-of-week
			""")
	void rejectsInvalidExpressionsNamingTheField(String expression, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron(expression)).withMessage(message);
	}

	@Test
	void rejectsEmptyExpressionsAndFields() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron(" "))
			.withMessageStartingWith("Invalid crontab ' ': expected 5 fields");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.crontab("", null, null, null, null))
			.withMessage("Invalid crontab field 'minute': empty part in ''");
	}

	@Test
	void nextAfterIsStrictlyAfterAndRoundsToTheMinute() {
		Schedule daily = Schedule.cron("0 10 * * *");
		ZoneId utc = ZoneId.of("UTC");
		assertThat(daily.nextAfter(Instant.parse("2026-01-01T10:00:00Z"), utc)).isEqualTo("2026-01-02T10:00:00Z");
		assertThat(daily.nextAfter(Instant.parse("2026-01-01T09:59:59.999Z"), utc))
			.isEqualTo("2026-01-01T10:00:00Z");
		assertThat(daily.expiryOf(Instant.parse("2026-01-01T10:00:00Z"), utc)).isEqualTo(Duration.ofDays(1));
		assertThat(Schedule.cron("0 10,17 * * *").nextAfter(Instant.parse("2026-01-01T03:00:00Z"),
				ZoneId.of("Asia/Shanghai")))
			.isEqualTo("2026-01-01T09:00:00Z");
	}

	@Test
	void wallTimeInTheSpringForwardGapIsDueWhenTheGapEnds() {
		Schedule schedule = Schedule.cron("30 2 * * *");
		Instant gapEnd = schedule.nextAfter(Instant.parse("2026-03-28T01:30:00Z"), BERLIN);
		assertThat(gapEnd).isEqualTo("2026-03-29T01:00:00Z");
		assertThat(schedule.nextAfter(gapEnd, BERLIN)).isEqualTo("2026-03-30T00:30:00Z");
	}

	@Test
	void wallTimeOccurringTwiceIsDueOnceAtItsFirstOccurrence() {
		Schedule schedule = Schedule.cron("30 2 * * *");
		Instant first = schedule.nextAfter(Instant.parse("2026-10-24T12:00:00Z"), BERLIN);
		assertThat(first).isEqualTo("2026-10-25T00:30:00Z");
		assertThat(schedule.nextAfter(first, BERLIN)).isEqualTo("2026-10-26T01:30:00Z");
		// a last run in the repeated hour goes on from its own wall-clock time
		assertThat(Schedule.cron("*/15 * * * *").nextAfter(Instant.parse("2026-10-25T01:30:00Z"), BERLIN))
			.isEqualTo("2026-10-25T01:45:00Z");
	}

	private static CrontabField dayOfWeek(String spec) {
		return CrontabField.parse("day_of_week", spec, 0, 6);
	}

	private static List<Integer> values(CrontabField field) {
		return IntStream.range(0, 64).filter(field::matches).boxed().toList();
	}

}
