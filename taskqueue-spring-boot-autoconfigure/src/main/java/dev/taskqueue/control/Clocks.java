package dev.taskqueue.control;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.LamportClock;

/**
 * Adjusting a Lamport clock with a value received from the network, which may be missing or
 * absurd.
 */
final class Clocks {

	/** Beyond this a clock value is not taken in: far more than any clock ever counts. */
	static final long MAX_VALUE = 1L << 53;

	private Clocks() {
	}

	/**
	 * Adjust the clock with a value received, unless missing, negative or absurdly large.
	 * @param clock the clock
	 * @param received the value received
	 */
	static void adjust(LamportClock clock, @Nullable Long received) {
		if (received != null && received >= 0 && received < MAX_VALUE) {
			clock.adjust(received);
		}
		else {
			clock.adjust(0);
		}
	}

}
