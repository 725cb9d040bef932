package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Kombu's ack ({@code ZREM unacked_index <tag>}, {@code HDEL unacked <tag>}) for tags
 * acknowledged on many threads, combined into few {@link KombuScripts#ACK} calls: a thread
 * that acks queues its tag, then sends everything queued so far unless another thread is
 * doing so; waiting threads usually find their tag already sent. When {@link #ack(String)}
 * returns, the tag has been written to the shared connection, so commands issued afterwards
 * come after it. Replies are not awaited; a failure is logged (at most every 10 seconds)
 * and the message is delivered again after the visibility timeout.
 */
final class AckBatcher {

	private static final Log logger = LogFactory.getLog(AckBatcher.class);

	/** The most tags per command (a bound for Lua's {@code unpack}). */
	static final int MAX_BATCH = 1000;

	private static final long WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicLong lastWarning = new AtomicLong();

	private final RedisConnector connector;

	private final byte[][] unackedKeys;

	/**
	 * Create a new instance.
	 * @param connector the connections
	 * @param unackedKeys the {@code unacked} and {@code unacked_index} keys
	 */
	AckBatcher(RedisConnector connector, byte[][] unackedKeys) {
		this.connector = connector;
		this.unackedKeys = unackedKeys;
	}

	void ack(String tag) {
		this.pending.add(tag);
		this.lock.lock();
		try {
			List<byte[]> batch = next();
			while (!batch.isEmpty()) {
				send(batch);
				batch = next();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<byte[]> next() {
		List<byte[]> batch = new ArrayList<>();
		String tag;
		while (batch.size() < MAX_BATCH && (tag = this.pending.poll()) != null) {
			batch.add(RedisKeys.bytes(tag));
		}
		return batch;
	}

	private void send(List<byte[]> tags) {
		try {
			KombuScripts.ACK.run(this.connector.commands(), this.unackedKeys, tags.toArray(new byte[0][]))
				.whenComplete((count, ex) -> {
					if (ex != null) {
						failed(tags.size(), ex);
					}
				});
		}
		catch (RuntimeException ex) {
			failed(tags.size(), ex);
		}
	}

	private void failed(int count, Throwable ex) {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		String message = "Could not acknowledge " + count + " message(s) on " + this.connector.url()
				+ " (delivered again after the visibility timeout): " + ex.getMessage();
		if ((last == 0 || now - last > WARNING_INTERVAL_NANOS) && this.lastWarning.compareAndSet(last, now)) {
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
