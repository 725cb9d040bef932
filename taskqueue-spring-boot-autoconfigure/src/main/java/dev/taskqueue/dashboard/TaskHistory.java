package dev.taskqueue.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.ClusterChange;
import dev.taskqueue.events.ClusterState;

/**
 * The succeeded and failed tasks of the last hour, per minute, with their runtimes'
 * percentiles, from the fleet's {@code task-succeeded} and {@code task-failed} events. Fixed
 * memory: 60 buckets, each keeping at most {@value #SAMPLES} runtimes (a uniform reservoir
 * sample once more tasks ended in that minute). Thread-safe.
 */
final class TaskHistory implements Consumer<ClusterChange>, AutoCloseable {

	static final int MINUTES = 60;

	static final int SAMPLES = 512;

	private final Bucket[] buckets = new Bucket[MINUTES];

	private final Clock clock;

	private @Nullable AutoCloseable subscription;

	TaskHistory(Clock clock) {
		this.clock = clock;
		for (int i = 0; i < MINUTES; i++) {
			this.buckets[i] = new Bucket();
		}
	}

	// counts the events of a cluster state from now on, until closed
	void listenTo(@Nullable ClusterState state) {
		if (state != null) {
			this.subscription = state.subscribe(this);
		}
	}

	@Override
	public void close() throws Exception {
		if (this.subscription != null) {
			this.subscription.close();
		}
	}

	@Override
	public void accept(ClusterChange change) {
		boolean succeeded = change.type().equals("task-succeeded");
		if (succeeded || change.type().equals("task-failed")) {
			Double runtime = (change.task() != null) ? change.task().runtime() : null;
			record(succeeded, runtime);
		}
	}

	void record(boolean succeeded, @Nullable Double runtime) {
		long minute = minute(this.clock.instant());
		Bucket bucket = this.buckets[(int) (minute % MINUTES)];
		synchronized (bucket) {
			bucket.roll(minute);
			if (succeeded) {
				bucket.succeeded++;
			}
			else {
				bucket.failed++;
			}
			if (runtime != null && runtime >= 0 && !runtime.isNaN()) {
				bucket.sample(runtime);
			}
		}
	}

	/**
	 * Return the last hour, oldest minute first, the current minute last.
	 * @return 60 points
	 */
	List<Point> lastHour() {
		long now = minute(this.clock.instant());
		List<Point> points = new ArrayList<>(MINUTES);
		for (long minute = now - MINUTES + 1; minute <= now; minute++) {
			Bucket bucket = this.buckets[(int) (Math.floorMod(minute, MINUTES))];
			synchronized (bucket) {
				boolean current = bucket.minute == minute;
				double[] sorted = current ? Arrays.copyOf(bucket.runtimes, bucket.samples) : new double[0];
				Arrays.sort(sorted);
				points.add(new Point(minute * 60_000, current ? bucket.succeeded : 0, current ? bucket.failed : 0,
						percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99)));
			}
		}
		return points;
	}

	// nearest rank on sorted values; null when there are none
	static @Nullable Double percentile(double[] sorted, double quantile) {
		if (sorted.length == 0) {
			return null;
		}
		int rank = (int) Math.ceil(quantile * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	private static long minute(Instant instant) {
		return Math.floorDiv(instant.toEpochMilli(), 60_000L);
	}

	/**
	 * One minute of the last hour.
	 *
	 * @param time the minute's start, in epoch milliseconds
	 * @param succeeded the tasks that succeeded
	 * @param failed the tasks that failed
	 * @param p50 the median runtime in seconds, or {@code null} when none ended
	 * @param p95 the 95th percentile runtime
	 * @param p99 the 99th percentile runtime
	 */
	record Point(long time, long succeeded, long failed, @Nullable Double p50, @Nullable Double p95,
			@Nullable Double p99) {
	}

	/**
	 * A minute's counts and runtimes; guarded by its own monitor.
	 */
	private static final class Bucket {

		private long minute = Long.MIN_VALUE;

		private long succeeded;

		private long failed;

		private final double[] runtimes = new double[SAMPLES];

		private int samples;

		private long seen;

		// starts the bucket afresh when it last counted another minute
		private void roll(long minute) {
			if (this.minute != minute) {
				this.minute = minute;
				this.succeeded = 0;
				this.failed = 0;
				this.samples = 0;
				this.seen = 0;
			}
		}

		// reservoir sampling (algorithm R): each runtime of the minute is kept with equal chance
		private void sample(double runtime) {
			this.seen++;
			if (this.samples < SAMPLES) {
				this.runtimes[this.samples++] = runtime;
			}
			else {
				long slot = ThreadLocalRandom.current().nextLong(this.seen);
				if (slot < SAMPLES) {
					this.runtimes[(int) slot] = runtime;
				}
			}
		}

	}

}
