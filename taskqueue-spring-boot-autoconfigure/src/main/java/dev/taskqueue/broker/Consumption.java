package dev.taskqueue.broker;

import org.jspecify.annotations.Nullable;

/**
 * A running consumption of one or more queues.
 */
public interface Consumption extends AutoCloseable {

	/**
	 * Why this consumption stopped fetching messages by itself, from a failure it does not
	 * recover from (a lost connection that is being re-established is not one).
	 * @return the reason, or {@code null} while it fetches or after {@link #close()}
	 */
	default @Nullable String failure() {
		return null;
	}

	/**
	 * Stop fetching new messages. Deliveries already handed out stay valid and must still be
	 * acknowledged, requeued or dead-lettered.
	 */
	@Override
	void close();

}
