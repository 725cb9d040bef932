package dev.taskqueue.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.OperatingSystemMXBean;

/**
 * What the JVM spent in a phase of the benchmark: process CPU time (all threads: publishers,
 * the broker client's I/O, the worker), collections and their time, and the peak of the heap
 * used, sampled every 10 ms by a daemon thread (and at each mark).
 */
final class JvmUsage implements AutoCloseable {

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final AtomicLong phasePeak = new AtomicLong();

	private final AtomicLong overallPeak = new AtomicLong();

	private final Thread sampler;

	private volatile boolean running = true;

	JvmUsage() {
		this.sampler = new Thread(this::sample, "bench-heap-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/**
	 * Start a phase: the heap peak starts again from the heap used now.
	 * @return the counters at the start of the phase
	 */
	Mark mark() {
		this.phasePeak.set(0);
		heapUsed();
		return new Mark(this.os.getProcessCpuTime(), gcCount(), gcMillis());
	}

	/**
	 * What was spent since a mark.
	 * @param mark the start of the phase
	 * @return the CPU, collections and heap peak of the phase
	 */
	Usage since(Mark mark) {
		heapUsed();
		return new Usage((this.os.getProcessCpuTime() - mark.cpuNanos()) / 1e9, gcCount() - mark.gcCount(),
				gcMillis() - mark.gcMillis(), this.phasePeak.get());
	}

	/**
	 * The highest heap use sampled since this object was made.
	 * @return bytes
	 */
	long overallPeak() {
		return this.overallPeak.get();
	}

	@Override
	public void close() {
		this.running = false;
		this.sampler.interrupt();
	}

	// the sampler thread's loop
	private void sample() {
		while (this.running) {
			heapUsed();
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	// reads the heap used now into both peaks
	private void heapUsed() {
		long used = this.memory.getHeapMemoryUsage().getUsed();
		this.phasePeak.accumulateAndGet(used, Math::max);
		this.overallPeak.accumulateAndGet(used, Math::max);
	}

	// collections so far, all collectors
	private long gcCount() {
		return this.collectors.stream().mapToLong((gc) -> Math.max(gc.getCollectionCount(), 0)).sum();
	}

	// collection time so far, all collectors
	private long gcMillis() {
		return this.collectors.stream().mapToLong((gc) -> Math.max(gc.getCollectionTime(), 0)).sum();
	}

	/**
	 * The counters at the start of a phase.
	 * @param cpuNanos process CPU time
	 * @param gcCount collections
	 * @param gcMillis collection time
	 */
	record Mark(long cpuNanos, long gcCount, long gcMillis) {
	}

	/**
	 * What a phase spent.
	 * @param cpuSecs process CPU seconds
	 * @param gcCount collections
	 * @param gcMillis collection time in milliseconds
	 * @param peakHeapBytes the highest heap use sampled
	 */
	record Usage(double cpuSecs, long gcCount, long gcMillis, long peakHeapBytes) {

		/**
		 * The usage as {@code key=value} fields of a RESULT line.
		 * @param tasks the tasks of the phase, for the CPU per 1,000 tasks
		 * @return the fields
		 */
		String fields(int tasks) {
			return String.format(Locale.ROOT, "cpu_s=%.3f cpu_ms_per_1k=%.1f heap_peak_mb=%.0f gc_count=%d gc_ms=%d",
					this.cpuSecs, this.cpuSecs * 1e6 / Math.max(tasks, 1), this.peakHeapBytes / 1048576.0,
					this.gcCount, this.gcMillis);
		}

	}

}
