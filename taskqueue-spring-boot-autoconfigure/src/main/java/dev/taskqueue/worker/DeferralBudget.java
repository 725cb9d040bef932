package dev.taskqueue.worker;

import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.broker.Delivery;

/**
 * How many deliveries a worker may take out of its prefetch window while it holds them (for
 * their ETA, or for a rate-limit token), as Celery raises its QoS window for each ETA task.
 * Past the bound, held deliveries keep their prefetch slots.
 */
final class DeferralBudget {

	private final int max;

	private final AtomicInteger deferred = new AtomicInteger();

	DeferralBudget(int max) {
		this.max = max;
	}

	/**
	 * Take a delivery out of the prefetch window if the budget allows and the transport can.
	 * @param delivery the delivery held
	 * @return whether it was deferred; pass that to {@link #resume}
	 */
	boolean defer(Delivery delivery) {
		int count;
		do {
			count = this.deferred.get();
			if (count >= this.max) {
				return false;
			}
		}
		while (!this.deferred.compareAndSet(count, count + 1));
		if (delivery.defer()) {
			return true;
		}
		this.deferred.decrementAndGet();
		return false;
	}

	/**
	 * Count a held delivery against the prefetch window again.
	 * @param delivery the delivery
	 * @param deferred what {@link #defer} returned for it
	 */
	void resume(Delivery delivery, boolean deferred) {
		if (deferred) {
			this.deferred.decrementAndGet();
			delivery.resume();
		}
	}

}
