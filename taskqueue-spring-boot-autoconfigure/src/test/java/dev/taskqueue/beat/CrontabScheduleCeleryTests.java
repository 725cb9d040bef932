package dev.taskqueue.beat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CrontabSchedule} against Python Celery 5.2 itself: for each crontab, zone and start,
 * the next ticks are those at which Celery's {@code crontab.is_due(last_run_at)} first holds
 * as beat's clock moves on (src/test/resources/dev/taskqueue/beat/celery_crontab_ticks.py).
 */
class CrontabScheduleCeleryTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final Map<Case, List<String>> celeryTicks = new LinkedHashMap<>();

	static Stream<Case> cases() {
		return Stream.of(
				// fields, lists, ranges, steps, names
				new Case("Asia/Shanghai", "0 10,17 * * *", "2026-01-01T00:00:00Z", 5),
				new Case("Asia/Shanghai", "*/15 * * * *", "2026-02-28T15:50:00Z", 6),
				new Case("UTC", "0 9 * * mon-fri", "2026-01-01T00:00:00Z", 7),
				new Case("UTC", "30 8 * * 0", "2026-01-01T00:00:00Z", 3),
				new Case("UTC", "30 8 * * Sun,wed", "2026-01-01T00:00:00Z", 4),
				new Case("UTC", "0 0 * * fri-mon", "2026-01-01T00:00:00Z", 6),
				new Case("UTC", "1-10/2 * * * *", "2026-01-01T00:05:30Z", 7),
				new Case("UTC", "50-10/5 22-2 * * *", "2026-01-01T21:00:00Z", 12),
				new Case("UTC", "*/20 */6 * */3 *", "2026-02-27T17:00:00Z", 6),
				new Case("Europe/Berlin", "0 */2 1,15 * wed-fri", "2026-01-01T00:00:00Z", 6),
				new Case("America/New_York", "0 9 1 * *", "2026-01-15T00:00:00Z", 3),
				// month ends, Feb 29, day of month AND day of week
				new Case("UTC", "0 0 31 * *", "2026-01-01T00:00:00Z", 7),
				new Case("UTC", "0 12 30 * *", "2026-01-01T00:00:00Z", 4),
				new Case("UTC", "0 12 29-31 * *", "2027-02-20T00:00:00Z", 4),
				new Case("Asia/Shanghai", "0 0 29 2 *", "2026-01-01T00:00:00Z", 2),
				new Case("UTC", "0 0 29 2 1", "2026-01-01T00:00:00Z", 1),
				new Case("UTC", "59 23 31 12 *", "2026-06-01T00:00:00Z", 2),
				new Case("UTC", "0 0 1-7 * mon", "2026-01-01T00:00:00Z", 4),
				new Case("UTC", "0 0 13 * fri", "2026-01-01T00:00:00Z", 3),
				new Case("UTC", "15 10 * 2,4 *", "2026-02-27T10:15:00Z", 4),
				// Europe/Berlin: 02:00 CET -> 03:00 CEST on 2026-03-29, 03:00 CEST -> 02:00 CET on 2026-10-25
				new Case("Europe/Berlin", "30 2 * * *", "2026-03-27T12:00:00Z", 4),
				new Case("Europe/Berlin", "0 2 * * *", "2026-03-27T12:00:00Z", 3),
				new Case("Europe/Berlin", "*/15 * * * *", "2026-03-29T00:30:00Z", 6),
				new Case("Europe/Berlin", "0 * * * *", "2026-03-28T23:30:00Z", 4),
				new Case("Europe/Berlin", "30 2 29 3 *", "2026-01-01T00:00:00Z", 2),
				new Case("Europe/Berlin", "30 2 * * *", "2026-10-23T12:00:00Z", 4),
				new Case("Europe/Berlin", "0 3 * * *", "2026-10-23T12:00:00Z", 3),
				new Case("Europe/Berlin", "*/15 * * * *", "2026-10-25T00:20:00Z", 8),
				new Case("Europe/Berlin", "0 * * * *", "2026-10-24T23:30:00Z", 4),
				new Case("Europe/Berlin", "30 2 25 10 *", "2026-01-01T00:00:00Z", 2),
				// America/New_York: 02:00 EST -> 03:00 EDT on 2026-03-08, 02:00 EDT -> 01:00 EST on 2026-11-01
				new Case("America/New_York", "30 2 * * *", "2026-03-06T12:00:00Z", 4),
				new Case("America/New_York", "0 2 * * sun", "2026-03-01T00:00:00Z", 3),
				new Case("America/New_York", "*/30 * * * *", "2026-03-08T06:00:00Z", 5),
				new Case("America/New_York", "30 1 * * *", "2026-10-30T12:00:00Z", 4),
				new Case("America/New_York", "*/30 * * * *", "2026-11-01T04:00:00Z", 6),
				new Case("America/New_York", "0 1,2 * * *", "2026-10-31T12:00:00Z", 4));
	}

	@BeforeAll
	static void askCelery() throws IOException {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, pytz"),
				"python3 cannot import celery");
		List<Case> cases = new ArrayList<>(cases().toList());
		cases.add(Case.NEW_YORK_EVENING);
		List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script()));
		cases.forEach((c) -> command.add(c.asArgument()));
		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(120), command);
		assertThat(result.exit()).as(result.output()).isZero();
		List<String> lines = result.stdout().lines().toList();
		assertThat(lines).as(result.output()).hasSize(cases.size());
		for (int i = 0; i < cases.size(); i++) {
			celeryTicks.put(cases.get(i), List.of(lines.get(i).split(" ")));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void ticksAsCeleryBeat(Case c) {
		assertThat(c.javaTicks()).isEqualTo(celeryTicks.get(c));
	}

	@Test
	void doesNotCopyCeleryMonthSkipAfterEveningRunsWestOfUtc() {
		// Celery 5.2.6 compares the next day's UTC midnight with the last run, 21:00 EDT
		assertThat(celeryTicks.get(Case.NEW_YORK_EVENING)).containsExactly("2026-05-11T01:00:00Z",
				"2026-06-02T01:00:00Z");
		assertThat(Case.NEW_YORK_EVENING.javaTicks()).containsExactly("2026-05-11T01:00:00Z",
				"2026-05-12T01:00:00Z");
	}

	private static String script() throws IOException {
		try (InputStream in = CrontabScheduleCeleryTests.class.getResourceAsStream("celery_crontab_ticks.py")) {
			assertThat(in).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/**
	 * A crontab in cron order, read in a zone, with the ticks that follow a start.
	 */
	record Case(String zone, String cron, String start, int count) {

		static final Case NEW_YORK_EVENING = new Case("America/New_York", "0 21 1-31 * *", "2026-05-10T12:00:00Z",
				2);

		String asArgument() {
			String[] f = this.cron.split(" ");
			return String.join("|", this.zone, f[0], f[1], f[4], f[2], f[3], this.start, String.valueOf(this.count));
		}

		List<String> javaTicks() {
			Schedule schedule = Schedule.cron(this.cron);
			List<String> ticks = new ArrayList<>();
			Instant last = Instant.parse(this.start);
			for (int i = 0; i < this.count; i++) {
				last = schedule.nextAfter(last, ZoneId.of(this.zone));
				ticks.add(last.toString());
			}
			return ticks;
		}

		@Override
		public String toString() {
			return this.cron + " in " + this.zone + " after " + this.start;
		}

	}

}
