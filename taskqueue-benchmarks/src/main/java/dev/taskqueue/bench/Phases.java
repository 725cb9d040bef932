package dev.taskqueue.bench;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

/**
 * The benchmark's publish and drain phases: each timed, with what the JVM spent, and printed
 * as a RESULT line. The worker is stopped while tasks are published, and started to drain them.
 */
final class Phases {

	private final TaskOperations tasks;

	private final BenchTasks counter;

	private final WorkerContainer worker;

	private final JvmUsage usage;

	private final String label;

	private final int n;

	Phases(TaskOperations tasks, BenchTasks counter, WorkerContainer worker, JvmUsage usage, String label, int n) {
		this.tasks = tasks;
		this.counter = counter;
		this.worker = worker;
		this.usage = usage;
		this.label = label;
		this.n = n;
	}

	TaskOperations tasks() {
		return this.tasks;
	}

	WorkerContainer worker() {
		return this.worker;
	}

	String label() {
		return this.label;
	}

	/**
	 * Warm the JVM up with the work it measures afterwards, in smaller amounts, untimed.
	 * @param count the tasks sent with 8 threads and drained
	 * @param publishers the publishing threads
	 * @param chunk the requests per {@code sendAll} call
	 * @throws Exception when a send fails
	 */
	void warmUp(int count, int publishers, int chunk) throws Exception {
		Publishing.send(this.tasks, count, publishers);
		Publishing.send(this.tasks, count / 10, 1);
		Publishing.sendAll(this.tasks, count / 4, chunk);
		Publishing.sendAsync(this.tasks, count / 4);
		int total = count + count / 10 + 2 * (count / 4);
		this.counter.expect(total);
		this.worker.start();
		this.counter.awaitDone();
		for (int i = 0; i < Math.min(count / 10, 2000); i++) {
			this.tasks.send("bench.add", 1, 2).get(Duration.ofSeconds(10));
		}
		this.worker.stop();
	}

	/**
	 * Publish the N tasks one way, timed, and print the rate.
	 * @param name the RESULT line's name
	 * @param publish what publishes them
	 * @param detail more fields for the line, or {@code null}
	 * @throws Exception when a send fails
	 */
	void publish(String name, Publish publish, @Nullable String detail) throws Exception {
		JvmUsage.Mark mark = this.usage.mark();
		long started = System.nanoTime();
		publish.run();
		double secs = (System.nanoTime() - started) / 1e9;
		JvmUsage.Usage used = this.usage.since(mark);
		Benchmark.print("%s %s%s n=%d secs=%.3f rate=%.0f msg/s %s", name, this.label,
				(detail != null) ? " " + detail : "", this.n, secs, this.n / secs, used.fields(this.n));
	}

	/**
	 * Start the worker, wait until it ran the N queued tasks, stop it.
	 * @param report whether to print the drain rate
	 * @throws InterruptedException when interrupted while waiting
	 */
	void drain(boolean report) throws InterruptedException {
		this.counter.expect(this.n);
		JvmUsage.Mark mark = this.usage.mark();
		long started = System.nanoTime();
		this.worker.start();
		this.counter.awaitDone();
		double secs = (System.nanoTime() - started) / 1e9;
		JvmUsage.Usage used = this.usage.since(mark);
		this.worker.stop();
		if (report) {
			Benchmark.print("drain %s c=%d prefetch=%d n=%d drain_secs=%.3f rate=%.0f tasks/s %s", this.label,
					this.worker.settings().concurrency(), this.worker.settings().prefetch(), this.n, secs,
					this.n / secs, used.fields(this.n));
		}
	}

	/** A way to publish the N tasks. */
	@FunctionalInterface
	interface Publish {

		void run() throws Exception;

	}

}
