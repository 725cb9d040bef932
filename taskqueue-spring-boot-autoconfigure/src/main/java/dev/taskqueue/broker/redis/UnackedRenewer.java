package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Keeps the messages this broker still holds out of {@link UnackedRestorer}'s reach, its own
 * and that of any Java or Python consumer of the same Redis: every third of the visibility
 * timeout (at least every 60 seconds and at most every 100 ms) the {@code unacked_index}
 * score of each outstanding delivery is set to now with {@code ZADD unacked_index XX},
 * pipelined in commands of {@value #MAX_BATCH} tags. Only messages whose consumer went away
 * grow older than the visibility timeout and are restored.
 * <p>
 * {@code XX} updates an entry but never creates one, so a renewal that crosses an ack, a
 * requeue or a restore cannot bring the entry back. The deliveries of a closed consumption
 * (acks-late tasks still running) are renewed until they are settled. A failed renewal is
 * logged once per outage and tried again at the next pass; the renewal stops with the
 * broker.
 */
final class UnackedRenewer {

	private static final Log logger = LogFactory.getLog(UnackedRenewer.class);

	/** The most tags per {@code ZADD}. */
	static final int MAX_BATCH = 1000;

	private final RedisChannel channel;

	private final Duration visibilityTimeout;

	/** The consumptions whose deliveries are renewed, and whether each has stopped. */
	private final Map<RedisConsumption, Boolean> consumptions = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService timer;

	private boolean failing;

	UnackedRenewer(RedisChannel channel, Duration visibilityTimeout) {
		this.channel = channel;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * Return the time between two renewals.
	 * @return the time between two renewals
	 */
	Duration interval() {
		return UnackedRestorer.interval(this.visibilityTimeout, 3);
	}

	/**
	 * Renew the deliveries of a consumption from now until it stopped and they are settled.
	 * @param consumption the consumption
	 */
	synchronized void consumerStarted(RedisConsumption consumption) {
		this.consumptions.put(consumption, false);
		if (this.timer == null) {
			CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-redis-renew-");
			threads.setDaemon(true);
			this.timer = Executors.newSingleThreadScheduledExecutor(threads);
			long period = interval().toMillis();
			this.timer.scheduleWithFixedDelay(this::scheduledRenewal, period, period, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * A consumption hands out no more deliveries: forget it once those it handed out are settled.
	 * @param consumption the consumption
	 */
	void consumerStopped(RedisConsumption consumption) {
		this.consumptions.replace(consumption, true);
	}

	synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
		this.consumptions.clear();
	}

	private void scheduledRenewal() {
		try {
			int renewed = renew();
			if (this.failing) {
				this.failing = false;
				logger.info("Renewing the visibility of the messages held on Redis broker "
						+ this.channel.connector().url() + " again (" + renewed + " now)");
			}
		}
		catch (RuntimeException | Error ex) {
			// whatever is thrown, the next pass must still run: a periodic task that throws is never run again
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
			if (!this.failing) {
				this.failing = true;
				logger.warn("Could not renew the visibility of the messages held on Redis broker "
						+ this.channel.connector().url() + " (retrying; they go back to their queue and run again "
						+ "if this lasts longer than the visibility timeout, " + this.visibilityTimeout + "): "
						+ ex.getMessage());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Still cannot renew the visibility of the messages held on Redis broker "
						+ this.channel.connector().url() + ": " + ex.getMessage());
			}
		}
	}

	/**
	 * Set the {@code unacked_index} score of every outstanding delivery to now, leaving
	 * alone the tags that are no longer there.
	 * @return how many tags were sent
	 */
	private int renew() {
		List<ScoredValue<byte[]>> tags = new ArrayList<>();
		double now = Instant.now().toEpochMilli() / 1000.0;
		this.consumptions.forEach((consumption, stopped) -> {
			List<RedisDelivery> outstanding = consumption.outstanding();
			if (stopped && outstanding.isEmpty()) {
				this.consumptions.remove(consumption, true);
			}
			for (RedisDelivery delivery : outstanding) {
				String tag = delivery.tag();
				if (tag != null) {
					tags.add(ScoredValue.just(now, RedisKeys.bytes(tag)));
				}
			}
		});
		if (tags.isEmpty()) {
			return 0;
		}
		RedisConnector connector = this.channel.connector();
		RedisClusterAsyncCommands<byte[], byte[]> commands = connector.commands();
		List<RedisFuture<Long>> replies = new ArrayList<>();
		for (int from = 0; from < tags.size(); from += MAX_BATCH) {
			replies.add(commands.zadd(this.channel.keys().unackedIndex(), ZAddArgs.Builder.xx(),
					array(tags.subList(from, Math.min(tags.size(), from + MAX_BATCH)))));
		}
		for (RedisFuture<Long> reply : replies) {
			connector.await(reply, "renew unacked_index");
		}
		return tags.size();
	}

	@SuppressWarnings("unchecked")
	private static ScoredValue<byte[]>[] array(List<ScoredValue<byte[]>> tags) {
		return tags.toArray(new ScoredValue[0]);
	}

}
