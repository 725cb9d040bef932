package dev.taskqueue.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link TaskHistory}.
 */
class TaskHistoryTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:30Z"));

	private final TaskHistory history = new TaskHistory(this.clock);

	@Test
	void countsPerMinuteWithNearestRankPercentiles() {
		for (int i = 100; i >= 1; i--) {
			this.history.record(true, (double) i);
		}
		this.history.record(false, null);
		this.history.record(false, 0.5);
		List<TaskHistory.Point> points = this.history.lastHour();
		assertThat(points).hasSize(60);
		TaskHistory.Point now = points.get(59);
		assertThat(now.time()).isEqualTo(Instant.parse("2026-12-05T10:00:00Z").toEpochMilli());
		assertThat(now.succeeded()).isEqualTo(100);
		assertThat(now.failed()).isEqualTo(2);
		// 101 runtimes: 0.5 and 1..100
		assertThat(now.p50()).isEqualTo(50.0);
		assertThat(now.p95()).isEqualTo(95.0);
		assertThat(now.p99()).isEqualTo(99.0);
		assertThat(points.subList(0, 59)).allSatisfy((point) -> {
			assertThat(point.succeeded()).isZero();
			assertThat(point.p50()).isNull();
		});
	}

	@Test
	void minutesMoveOnAndAnHourLaterTheBucketIsReused() {
		this.history.record(true, 1.0);
		this.clock.advance(Duration.ofMinutes(1));
		this.history.record(true, 2.0);
		this.history.record(true, 2.0);
		List<TaskHistory.Point> points = this.history.lastHour();
		assertThat(points.get(58).succeeded()).isEqualTo(1);
		assertThat(points.get(59).succeeded()).isEqualTo(2);
		assertThat(points.get(58).time()).isEqualTo(points.get(59).time() - 60_000);
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.history.lastHour().get(0).succeeded()).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		this.history.record(false, 3.0);
		points = this.history.lastHour();
		assertThat(points).extracting(TaskHistory.Point::succeeded).containsOnly(0L);
		assertThat(points.get(59).failed()).isEqualTo(1);
		assertThat(points.get(59).p99()).isEqualTo(3.0);
	}

	@Test
	void samplesAreBoundedAndStayRepresentative() {
		for (int i = 0; i < 100_000; i++) {
			this.history.record(true, (double) (i % 1000));
		}
		TaskHistory.Point now = this.history.lastHour().get(59);
		assertThat(now.succeeded()).isEqualTo(100_000);
		assertThat(now.p50()).isCloseTo(500.0, within(150.0));
		assertThat(now.p99()).isGreaterThan(900.0);
	}

	@Test
	void percentilesOfNothingAreNull() {
		assertThat(TaskHistory.percentile(new double[0], 0.5)).isNull();
		assertThat(TaskHistory.percentile(new double[] { 7 }, 0.99)).isEqualTo(7.0);
		assertThat(TaskHistory.percentile(new double[] { 1, 2 }, 0.5)).isEqualTo(1.0);
	}

}
