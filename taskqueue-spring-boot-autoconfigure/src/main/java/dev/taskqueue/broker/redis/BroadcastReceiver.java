package dev.taskqueue.broker.redis;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;
import dev.taskqueue.broker.redis.Envelopes.Broadcast;

/**
 * Hands the envelopes a broadcast subscription receives to its listener. Envelopes come from
 * whoever can reach the broker: one that is too large or malformed is logged and skipped,
 * and whatever the listener throws is logged, so the subscription goes on either way.
 */
final class BroadcastReceiver {

	private static final Log logger = LogFactory.getLog(BroadcastReceiver.class);

	private final Envelopes envelopes;

	private final BroadcastListener listener;

	private final String source;

	/**
	 * Create a receiver.
	 * @param envelopes reads the envelopes
	 * @param listener the listener of the subscription
	 * @param source what is received, such as the exchange and queue, for messages
	 */
	BroadcastReceiver(Envelopes envelopes, BroadcastListener listener, String source) {
		this.envelopes = envelopes;
		this.listener = listener;
		this.source = source;
	}

	String source() {
		return this.source;
	}

	/**
	 * Read an envelope and tell the listener; never throws.
	 * @param raw the envelope bytes
	 * @param fallbackRoutingKey the routing key when the envelope's {@code delivery_info} has
	 * none (from the channel name, or the binding key)
	 */
	void receive(byte[] raw, String fallbackRoutingKey) {
		Broadcast broadcast;
		try {
			broadcast = this.envelopes.readBroadcast(raw);
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping a message of " + this.source + " that is not a kombu envelope: " + ex.getMessage());
			return;
		}
		String routingKey = (broadcast.routingKey() != null) ? broadcast.routingKey() : fallbackRoutingKey;
		try {
			this.listener.onMessage(routingKey, broadcast.message());
		}
		catch (RuntimeException | Error ex) {
			logger.error("The listener of " + this.source + " failed on a message with routing key '" + routingKey
					+ "'; going on with the next one", ex);
		}
	}

}
