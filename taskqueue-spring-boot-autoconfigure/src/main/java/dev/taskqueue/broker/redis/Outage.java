package dev.taskqueue.broker.redis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;

/**
 * How a consumer lives through a Redis outage: one warning when it starts, an exponential
 * back-off between attempts (100 ms doubling up to 5 s), and one message when Redis answers
 * again. Used by one thread.
 */
final class Outage {

	static final long FIRST_BACKOFF_MILLIS = 100;

	static final long MAX_BACKOFF_MILLIS = 5000;

	private final Log logger;

	private final String description;

	private boolean ongoing;

	private long backoff = FIRST_BACKOFF_MILLIS;

	/**
	 * Create a new instance.
	 * @param logger where to report
	 * @param description what is affected, such as the broker URL and queues
	 */
	Outage(Log logger, String description) {
		this.logger = logger;
		this.description = description;
	}

	/**
	 * An attempt failed: report it if it is the first of an outage, then wait for the
	 * back-off or until {@code stop} opens.
	 * @param ex the failure of the attempt
	 * @param stop opens when the caller stops
	 * @return {@code false} when the waiting thread was interrupted
	 */
	boolean failed(Throwable ex, CountDownLatch stop) {
		if (!this.ongoing) {
			this.ongoing = true;
			this.logger.warn("Redis broker " + this.description + " is unavailable; retrying until it is back: "
					+ ex);
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug("Redis broker " + this.description + " still unavailable: " + ex);
		}
		try {
			stop.await(this.backoff, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MILLIS);
		}
		return true;
	}

	/** An attempt succeeded: report the end of an outage and reset the back-off. */
	void succeeded() {
		if (this.ongoing) {
			this.ongoing = false;
			this.logger.info("Redis broker " + this.description + " is back");
		}
		this.backoff = FIRST_BACKOFF_MILLIS;
	}

}
