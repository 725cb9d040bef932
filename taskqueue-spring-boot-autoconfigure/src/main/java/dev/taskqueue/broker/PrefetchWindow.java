package dev.taskqueue.broker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A consumer's prefetch limit as a count of free slots, for transports that enforce it
 * themselves: each delivery handed out takes a slot ({@link #slot()}) and gives it back when
 * settled; a {@link Delivery#defer() deferred} delivery gives it back early and takes one
 * again when resumed, so the count may go below zero until deliveries are settled.
 */
public final class PrefetchWindow {

	private final Slots slots;

	/**
	 * Create a window.
	 * @param prefetch the most deliveries outstanding at once
	 */
	public PrefetchWindow(int prefetch) {
		this.slots = new Slots(prefetch);
	}

	/**
	 * Take a free slot, waiting at most the given time for one.
	 * @param timeout the longest time to wait
	 * @param unit the unit of {@code timeout}
	 * @return whether a slot was taken
	 * @throws InterruptedException when interrupted while waiting
	 */
	public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
		return this.slots.tryAcquire(timeout, unit);
	}

	/**
	 * Take a free slot, waiting for one.
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void acquire() throws InterruptedException {
		this.slots.acquire();
	}

	/**
	 * Take free slots without waiting.
	 * @param most the most slots to take
	 * @return how many were taken
	 */
	public int takeFree(int most) {
		int taken = 0;
		while (taken < most && this.slots.tryAcquire()) {
			taken++;
		}
		return taken;
	}

	/**
	 * Give back slots taken and not used.
	 * @param count the number of slots to give back
	 */
	public void release(int count) {
		this.slots.release(count);
	}

	/**
	 * The slot of one delivery, taken already with {@link #tryAcquire} or {@link #acquire}.
	 * @return its slot
	 */
	public DeliverySlot slot() {
		return new DeliverySlot(this);
	}

	void shrink() {
		this.slots.shrink();
	}

	private static final class Slots extends Semaphore {

		Slots(int permits) {
			super(permits);
		}

		void shrink() {
			reducePermits(1);
		}

	}

}
