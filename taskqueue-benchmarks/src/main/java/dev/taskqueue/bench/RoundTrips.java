package dev.taskqueue.bench;

import java.time.Duration;
import java.util.Arrays;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;

/**
 * The round trip of {@code add(1, 2).get()}, one call at a time, and where its time goes:
 * <ul>
 * <li>{@code publish}: the {@code send} call, until it returns (the broker took the message);
 * <li>{@code to_worker}: from {@code send} returning until the worker received the message
 * (below zero when the worker hears of it before the sender hears the broker's reply);
 * <li>{@code worker_queue}: from received until the task started on a pool thread;
 * <li>{@code execution}: from started until the task's method returned (argument binding and
 * the call);
 * <li>{@code result}: from the method's return until {@code get} returned: the result stored,
 * the client notified and the result read;
 * <li>{@code store_ack}: from the method's return until the worker told {@code taskSucceeded},
 * which it does after storing the result and, acking late, acknowledging the message. No hook
 * falls between the store and the ack, nor marks the client's notification, so the store and
 * the notification are not told apart: {@code result} holds both.
 * </ul>
 */
final class RoundTrips {

	private static final String[] PHASES = { "publish", "to_worker", "worker_queue", "execution", "result",
			"store_ack" };

	private RoundTrips() {
	}

	/**
	 * Time the given number of round trips after a few to warm up, and print them.
	 * @param tasks the template
	 * @param times the worker's times of the task in flight
	 * @param usage the JVM's usage
	 * @param label the RESULT lines' labels
	 * @param calls the number of round trips
	 */
	static void measure(TaskOperations tasks, TaskTimes times, JvmUsage usage, String label, int calls) {
		Duration timeout = Duration.ofSeconds(10);
		for (int i = 0; i < 200; i++) {
			times.reset();
			check(tasks.send("bench.add", 1, 2).get(timeout));
			times.await();
		}
		double[] total = new double[calls];
		double[][] phases = new double[PHASES.length][calls];
		int broken = 0;
		JvmUsage.Mark mark = usage.mark();
		for (int i = 0; i < calls; i++) {
			times.reset();
			long start = System.nanoTime();
			AsyncResult<Object> result = tasks.send("bench.add", 1, 2);
			long sent = System.nanoTime();
			check(result.get(timeout));
			long end = System.nanoTime();
			total[i] = millis(end - start);
			TaskTimes.Times worker = times.await();
			if (worker == null) {
				broken++;
				continue;
			}
			long[] edges = { start, sent, worker.received(), worker.started(), worker.returned(), end };
			for (int p = 0; p < 5; p++) {
				phases[p][i - broken] = millis(edges[p + 1] - edges[p]);
			}
			phases[5][i - broken] = millis(worker.succeeded() - worker.returned());
		}
		JvmUsage.Usage used = usage.since(mark);
		Arrays.sort(total);
		Benchmark.print("latency %s n=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f %s", label, calls,
				percentile(total, 50), percentile(total, 90), percentile(total, 99), total[calls - 1],
				used.fields(calls));
		for (int p = 0; p < PHASES.length; p++) {
			double[] values = Arrays.copyOf(phases[p], calls - broken);
			Arrays.sort(values);
			Benchmark.print("lat_%s %s n=%d p50_ms=%.3f p99_ms=%.3f", PHASES[p], label, values.length,
					percentile(values, 50), percentile(values, 99));
		}
	}

	// the sum must be 3
	private static void check(Object sum) {
		if (!(sum instanceof Number number) || number.longValue() != 3) {
			throw new IllegalStateException("add(1, 2) returned " + sum);
		}
	}

	// nanoseconds to milliseconds
	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	/**
	 * The percentile of sorted values, interpolated as the lab's Python scripts do.
	 * @param sorted the values, in ascending order
	 * @param p the percentile, 0 to 100
	 * @return the percentile
	 */
	static double percentile(double[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		double k = (sorted.length - 1) * p / 100.0;
		int f = (int) k;
		int c = Math.min(f + 1, sorted.length - 1);
		return sorted[f] + (sorted[c] - sorted[f]) * (k - f);
	}

}
