package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.RateLimitScope;

/**
 * Tasks with rate limits; each records when it started ({@link System#nanoTime()}).
 */
class RateLimitedTasks {

	/** The interval of {@code rate.limited}. */
	static final long LIMITED_INTERVAL_NANOS = 100_000_000L;

	/** The interval of {@code rate.slow}. */
	static final long SLOW_INTERVAL_NANOS = 250_000_000L;

	final ConcurrentLinkedQueue<Long> limited = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<Long> free = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<Integer> slowRan = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<Long> slow = new ConcurrentLinkedQueue<>();

	@CeleryTask(name = "rate.limited", rateLimit = "10/s")
	void limited() {
		this.limited.add(System.nanoTime());
	}

	@CeleryTask(name = "rate.free")
	void free() {
		this.free.add(System.nanoTime());
	}

	@CeleryTask(name = "rate.slow", rateLimit = "4/s")
	void slow(int index) {
		this.slow.add(System.nanoTime());
		this.slowRan.add(index);
	}

	/** The gaps between consecutive starts, in nanoseconds, in the order of the starts. */
	static List<Long> gaps(Collection<Long> starts) {
		List<Long> sorted = starts.stream().sorted().toList();
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < sorted.size(); i++) {
			gaps.add(sorted.get(i) - sorted.get(i - 1));
		}
		return gaps;
	}

	/** A task whose limit all workers share. */
	static class ClusterLimited {

		/** The interval of {@code rate.shared}. */
		static final long INTERVAL_NANOS = 200_000_000L;

		final ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();

		@CeleryTask(name = "rate.shared", rateLimit = "5/s", rateLimitScope = RateLimitScope.CLUSTER)
		void shared() {
			this.starts.add(System.nanoTime());
		}

	}

}
