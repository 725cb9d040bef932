package dev.taskqueue.broker.redis;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The delivery counters of messages marked redelivered ({@link RedisKeys#deliveries(String)},
 * changed by {@link KombuScripts#COUNT_DELIVERY}, {@link KombuScripts#REQUEUE} and
 * {@link KombuScripts#REQUEUE_DEAD_LETTER}). A counter expires a day after the visibility
 * timeout past its last change: a message comes back within the visibility timeout of its
 * consumer's death and is usually taken again soon after, and a counter left behind (by a
 * Python worker that acknowledged the message, say) goes away by itself.
 */
final class DeliveryCounters {

	private static final Log logger = LogFactory.getLog(DeliveryCounters.class);

	private static final Duration SLACK = Duration.ofDays(1);

	private final RedisConnector connector;

	private final RedisKeys keys;

	private final byte[] expiry;

	DeliveryCounters(RedisConnector connector, RedisKeys keys, Duration visibilityTimeout) {
		this.connector = connector;
		this.keys = keys;
		this.expiry = RedisKeys.bytes(Long.toString(visibilityTimeout.plus(SLACK).toMillis()));
	}

	/**
	 * Count a delivery of a message marked redelivered.
	 * @param tag the delivery tag
	 * @return how many times the message was delivered, this delivery included; 2 (it was
	 * delivered before, at least once) when Redis cannot count
	 */
	int count(String tag) {
		try {
			Long counter = this.connector.await(KombuScripts.COUNT_DELIVERY.run(this.connector.commands(),
					new byte[][] { this.keys.deliveries(tag) }, this.expiry), "count delivery " + tag);
			return (counter != null) ? (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1, counter) + 1) : 2;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not count the deliveries of redelivered message " + tag + " on " + this.connector.url()
					+ "; counting 2: " + ex.getMessage());
			return 2;
		}
	}

	/**
	 * Delete the counter of a message that was settled; not awaited (it expires anyway).
	 * @param tag the delivery tag
	 */
	void forget(String tag) {
		try {
			this.connector.commands().del(this.keys.deliveries(tag));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not delete the delivery counter of message " + tag + ": " + ex.getMessage());
		}
	}

	/**
	 * Return the expiry of a counter in milliseconds, as the text Redis takes.
	 * @return the expiry
	 */
	byte[] expiry() {
		return this.expiry;
	}

}
