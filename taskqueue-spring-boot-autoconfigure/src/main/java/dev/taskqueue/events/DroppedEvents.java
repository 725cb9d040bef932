package dev.taskqueue.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Counts the events that could not be sent and says so in the log at most once a minute,
 * with the number dropped since the last warning: events are fire-and-forget, and a broker
 * that is down must not flood the log.
 */
final class DroppedEvents {

	static final Duration WARN_EVERY = Duration.ofMinutes(1);

	private final Log logger;

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong sinceWarning = new AtomicLong();

	private final AtomicLong nextWarning;

	private final LongSupplier nanoTime;

	private final String what;

	DroppedEvents(String hostname, LongSupplier nanoTime) {
		this(LogFactory.getLog(EventDispatcher.class), "monitoring event(s) of " + hostname, nanoTime);
	}

	DroppedEvents(Log logger, String what, LongSupplier nanoTime) {
		this.logger = logger;
		this.what = what;
		this.nanoTime = nanoTime;
		this.nextWarning = new AtomicLong(nanoTime.getAsLong());
	}

	/**
	 * Count dropped events and warn when the last warning is a minute old.
	 * @param count how many
	 * @param reason why, for the log
	 * @param cause the failure, or {@code null}
	 */
	void drop(int count, String reason, @Nullable Throwable cause) {
		this.total.addAndGet(count);
		this.sinceWarning.addAndGet(count);
		long now = this.nanoTime.getAsLong();
		long due = this.nextWarning.get();
		if (now - due >= 0 && this.nextWarning.compareAndSet(due, now + WARN_EVERY.toNanos())) {
			long dropped = this.sinceWarning.getAndSet(0);
			String message = "Dropped " + dropped + " " + this.what + ": " + reason
					+ " (warning at most once a minute)";
			if (cause != null) {
				this.logger.warn(message + ": " + cause);
			}
			else {
				this.logger.warn(message);
			}
		}
	}

	long total() {
		return this.total.get();
	}

}
