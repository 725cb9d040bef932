package dev.taskqueue.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Celery's Lamport clock ({@code kombu.clocks.LamportClock}), one per process: every event
 * and remote-control message carries {@link #forward()}, and what is received with a clock
 * value {@link #adjust adjusts} it. Thread-safe.
 */
public final class LamportClock {

	private final AtomicLong value = new AtomicLong();

	/**
	 * Advance the clock for a message sent.
	 * @return the new value
	 */
	public long forward() {
		return this.value.incrementAndGet();
	}

	/**
	 * Take in a clock value received: the clock becomes one more than the larger of the two.
	 * @param other the value received
	 * @return the new value
	 */
	public long adjust(long other) {
		return this.value.updateAndGet((current) -> Math.max(current, other) + 1);
	}

	/**
	 * Return the current value.
	 * @return the value
	 */
	public long value() {
		return this.value.get();
	}

}
