package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Kombu's {@code restore_visible}: messages still unacknowledged whose {@code unacked_index}
 * score is older than the visibility timeout go back to the front of their queue, marked
 * redelivered. One scan runs under the {@code unacked_mutex} lock ({@code SET NX PX 300000},
 * released by compare-and-delete), so Java and Python consumers of the same Redis never
 * restore the same message twice.
 * <p>
 * A Java consumer renews the score of every message it holds ({@link UnackedRenewer}), so a
 * long ETA or a task that runs longer than the visibility timeout is not delivered again;
 * only the messages of a consumer that went away (or could not reach Redis for a whole
 * visibility timeout) age, and so do those held by a Python worker, which does not renew
 * them. An entry renewed between the scan's read and its restore is left alone.
 * <p>
 * A scan runs when a consumption starts and then every quarter of the visibility timeout,
 * at least every 60 seconds and at most every 100 ms, while a consumption is running
 * (kombu scans about every 100 seconds).
 */
final class UnackedRestorer {

	private static final Log logger = LogFactory.getLog(UnackedRestorer.class);

	/** Kombu's {@code unacked_mutex_expire}. */
	static final long MUTEX_EXPIRE_MILLIS = 300_000;

	/** The most entries read per page of a scan. */
	static final int LIMIT = 1000;

	/** The most pages per scan. */
	static final int MAX_ROUNDS = 100;

	private final RedisChannel channel;

	private final Duration visibilityTimeout;

	private final AtomicInteger consumers = new AtomicInteger();

	private @Nullable ScheduledExecutorService timer;

	UnackedRestorer(RedisChannel channel, Duration visibilityTimeout) {
		this.channel = channel;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * Return the time between two scans.
	 * @return the time between two scans
	 */
	Duration interval() {
		return interval(this.visibilityTimeout, 4);
	}

	/**
	 * Return a part of the visibility timeout, at least 100 ms and at most 60 s.
	 * @param visibilityTimeout the visibility timeout
	 * @param parts the number of parts
	 * @return the part of the visibility timeout
	 */
	static Duration interval(Duration visibilityTimeout, int parts) {
		Duration part = visibilityTimeout.dividedBy(parts);
		Duration atMost = Duration.ofSeconds(60);
		Duration atLeast = Duration.ofMillis(100);
		return (part.compareTo(atMost) > 0) ? atMost : ((part.compareTo(atLeast) < 0) ? atLeast : part);
	}

	/** A consumption started: scan now, and keep scanning while one runs. */
	synchronized void consumerStarted() {
		this.consumers.incrementAndGet();
		if (this.timer == null) {
			CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-redis-restore-");
			threads.setDaemon(true);
			this.timer = Executors.newSingleThreadScheduledExecutor(threads);
			long period = interval().toMillis();
			this.timer.scheduleWithFixedDelay(this::scheduledScan, period, period, TimeUnit.MILLISECONDS);
		}
		this.timer.execute(this::scheduledScan);
	}

	void consumerStopped() {
		this.consumers.decrementAndGet();
	}

	synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

	private void scheduledScan() {
		if (this.consumers.get() <= 0) {
			return;
		}
		try {
			restoreVisible();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not restore unacknowledged messages: " + ex.getMessage());
		}
		catch (Error ex) {
			// caught so that the next scan still runs: a periodic task that throws is never run again
			logger.error("Restoring unacknowledged messages failed; trying again at the next scan", ex);
		}
	}

	/**
	 * Restore the messages whose visibility timeout passed.
	 * @return how many went back to a queue, or -1 when another consumer holds the lock
	 */
	int restoreVisible() {
		RedisConnector connector = this.channel.connector();
		RedisKeys keys = this.channel.keys();
		RedisClusterAsyncCommands<byte[], byte[]> commands = connector.commands();
		byte[] token = RedisKeys.bytes(UUID.randomUUID().toString().replace("-", ""));
		String locked = connector.await(
				commands.set(keys.unackedMutex(), token, SetArgs.Builder.nx().px(MUTEX_EXPIRE_MILLIS)),
				"lock unacked_mutex");
		if (!"OK".equals(locked)) {
			return -1;
		}
		try {
			int restored = 0;
			for (int round = 0; round < MAX_ROUNDS; round++) {
				Scan scan = scan(commands);
				restored += scan.restored();
				if (scan.seen() < LIMIT || scan.settled() == 0) {
					break;
				}
			}
			if (restored > 0) {
				logger.info("Restored " + restored + " unacknowledged message(s) older than the visibility timeout ("
						+ this.visibilityTimeout + ") on " + connector.url());
			}
			return restored;
		}
		finally {
			connector.await(KombuScripts.UNLOCK.run(commands, new byte[][] { keys.unackedMutex() }, token),
					"unlock unacked_mutex");
		}
	}

	/**
	 * Read one page of entries older than the visibility timeout, oldest last.
	 * @param commands the commands to read with
	 * @return the page of entries
	 */
	private Scan scan(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		RedisConnector connector = this.channel.connector();
		RedisKeys keys = this.channel.keys();
		Instant oldest = Instant.now().minus(this.visibilityTimeout);
		List<byte[]> tags = connector.await(commands.zrevrangebyscore(keys.unackedIndex(),
				Range.create(0, oldest.toEpochMilli() / 1000.0), Limit.create(0, LIMIT)), "read unacked_index");
		byte[] ceiling = RedisKeys.bytes(RedisChannel.seconds(oldest));
		List<RedisFuture<byte[]>> values = new ArrayList<>(tags.size());
		for (byte[] tag : tags) {
			values.add(commands.hget(keys.unacked(), tag));
		}
		int restored = 0;
		int settled = 0;
		for (int i = 0; i < tags.size(); i++) {
			byte[] value = connector.await(values.get(i), "read unacked");
			Outcome outcome = restore(commands, tags.get(i), value, ceiling);
			restored += (outcome == Outcome.RESTORED) ? 1 : 0;
			settled += (outcome != Outcome.CHANGED) ? 1 : 0;
		}
		return new Scan(tags.size(), restored, settled);
	}

	private Outcome restore(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] tag, byte @Nullable [] value,
			byte[] ceiling) {
		RedisConnector connector = this.channel.connector();
		RedisKeys keys = this.channel.keys();
		String tagText = RedisKeys.string(tag);
		if (value == null) {
			// a stale index entry: drop it, as kombu's transaction does
			Long dropped = connector.await(KombuScripts.RESTORE.run(commands, this.channel.unackedKeys(keys.unacked()),
					tag, new byte[0], RedisKeys.bytes("\u0000missing"), ceiling), "restore message " + tagText);
			return (dropped != null && dropped == -1) ? Outcome.CHANGED : Outcome.DROPPED;
		}
		Envelopes.Unacked entry = this.channel.envelopes().unacked(RedisKeys.string(value));
		List<String> queues = (entry != null) ? queues(entry.exchange(), entry.routingKey()) : List.of();
		if (entry == null || queues.isEmpty()) {
			String reason = (entry != null)
					? "no queue is bound to exchange '" + entry.exchange() + "' with routing key '"
							+ entry.routingKey() + "'"
					: "the unacked entry is not [envelope, exchange, routing_key]";
			String queue = (entry != null) ? entry.routingKey() : "unacked";
			logger.error("Could not restore message " + tagText + ": " + reason + "; moved to the dead letters of '"
					+ queue + "'");
			this.channel.deadLetter(queue, RedisKeys.string(value), tagText, "Could not restore: " + reason);
			return Outcome.DROPPED;
		}
		for (int i = 0; i < queues.size(); i++) {
			byte[] list = keys.list(queues.get(i), entry.message().priority());
			// the first push removes the entry; copies for further bound queues are pushed as is
			Long pushed = connector.await((i == 0)
					? KombuScripts.RESTORE.run(commands, this.channel.unackedKeys(list), tag,
							RedisKeys.bytes(entry.message().envelope()), value, ceiling)
					: commands.rpush(list, RedisKeys.bytes(entry.message().envelope())), "restore message " + tagText);
			if (i == 0 && (pushed == null || pushed != 1)) {
				return (pushed != null && pushed == -1) ? Outcome.CHANGED : Outcome.DROPPED;
			}
		}
		return Outcome.RESTORED;
	}

	/**
	 * Kombu's {@code _lookup}: the routing key for the default exchange, else the bound queues.
	 * @param exchange the exchange name
	 * @param routingKey the routing key
	 * @return the queue names
	 */
	private List<String> queues(String exchange, String routingKey) {
		if (exchange.isEmpty()) {
			return List.of(routingKey);
		}
		RedisConnector connector = this.channel.connector();
		Set<byte[]> members = connector.await(connector.commands().smembers(this.channel.keys().binding(exchange)),
				"read the bindings of exchange '" + exchange + "'");
		List<String> queues = new ArrayList<>();
		for (byte[] member : members) {
			String[] fields = RedisKeys.string(member).split(RedisKeys.SEP, 3);
			if (fields.length == 3 && matches(fields[0], fields[1], routingKey) && !queues.contains(fields[2])) {
				queues.add(fields[2]);
			}
		}
		return queues;
	}

	private static boolean matches(String bindingKey, String pattern, String routingKey) {
		if (pattern.isEmpty()) {
			return bindingKey.equals(routingKey);
		}
		try {
			return Pattern.compile(pattern).matcher(routingKey).lookingAt();
		}
		catch (PatternSyntaxException ex) {
			return false;
		}
	}

	/**
	 * What became of an entry: pushed back to its queue; removed without a push (gone,
	 * stale, or dead-lettered); or left alone because it changed since it was read.
	 */
	private enum Outcome {

		RESTORED, DROPPED, CHANGED

	}

	private record Scan(int seen, int restored, int settled) {
	}

}
