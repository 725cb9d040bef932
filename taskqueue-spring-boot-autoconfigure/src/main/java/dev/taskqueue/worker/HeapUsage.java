package dev.taskqueue.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * How full the heap is, to tell an {@link OutOfMemoryError} from one oversized allocation
 * (after which the heap is fine) from a JVM that really is out of memory.
 */
final class HeapUsage {

	/** Used heap, in percent of the most it may grow to, past which the JVM counts as out of memory. */
	static final int NEARLY_FULL_PERCENT = 90;

	private HeapUsage() {
	}

	static boolean nearlyFull() {
		return percentUsed() >= NEARLY_FULL_PERCENT;
	}

	static int percentUsed() {
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		long max = (heap.getMax() > 0) ? heap.getMax() : heap.getCommitted();
		return (max > 0) ? (int) (heap.getUsed() * 100 / max) : 0;
	}

}
