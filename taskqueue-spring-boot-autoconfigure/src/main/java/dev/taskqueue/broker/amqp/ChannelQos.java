package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The prefetch window of a consumption's channels, raised by one for each deferred delivery
 * (a task held for its ETA) and lowered again when it is resumed or settled, with
 * {@code basic.qos}, as Celery's {@code qos.increment_eventually} does. Only a channel-wide
 * (global) prefetch can be changed while consumers run: a per-consumer prefetch (quorum
 * queues) applies to new consumers only, so such deliveries are not deferred and keep their
 * slot. The window never passes 65,535, the largest prefetch AMQP can carry.
 */
final class ChannelQos {

	private static final Log logger = LogFactory.getLog(ChannelQos.class);

	static final int MAX_PREFETCH = 65_535;

	private final int prefetch;

	private final boolean global;

	private final Map<Channel, Integer> deferred = new IdentityHashMap<>();

	ChannelQos(int prefetch, boolean global) {
		this.prefetch = prefetch;
		this.global = global;
	}

	/**
	 * Raise the channel's window by one.
	 * @param channel the channel
	 * @return whether it was raised
	 */
	synchronized boolean increment(Channel channel) {
		int count = this.deferred.getOrDefault(channel, 0) + 1;
		if (!this.global || this.prefetch + count > MAX_PREFETCH || !apply(channel, count)) {
			return false;
		}
		this.deferred.put(channel, count);
		return true;
	}

	/**
	 * Lower the channel's window by one, after an {@link #increment}.
	 * @param channel the channel
	 */
	synchronized void decrement(Channel channel) {
		int count = this.deferred.getOrDefault(channel, 0) - 1;
		if (count <= 0) {
			this.deferred.remove(channel);
		}
		else {
			this.deferred.put(channel, count);
		}
		if (channel.isOpen()) {
			apply(channel, Math.max(count, 0));
		}
		else {
			this.deferred.remove(channel);
		}
	}

	private boolean apply(Channel channel, int count) {
		try {
			channel.basicQos(this.prefetch + count, this.global);
			return true;
		}
		catch (IOException | ShutdownSignalException ex) {
			logger.debug("Cannot change the prefetch window of " + channel + ": " + AmqpErrors.describe(ex));
			return false;
		}
	}

}
