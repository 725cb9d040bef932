package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.BrokerAdmin;

/**
 * The gauges {@code taskqueue.queue.length} of the queues a worker consumes, one per queue,
 * read through {@link BrokerAdmin#size}. A scrape never waits for the broker: it reads the
 * length kept, and when that is older than the refresh interval it has the length asked of
 * the broker in the background, at most once per interval and once at a time per queue. A
 * broker that cannot answer gives {@code NaN} until it answers again.
 */
final class QueueLengths {

	private static final Log logger = LogFactory.getLog(QueueLengths.class);

	private final BrokerAdmin admin;

	private final Supplier<? extends Collection<String>> queues;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final Executor executor;

	private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

	QueueLengths(BrokerAdmin admin, Supplier<? extends Collection<String>> queues, Duration interval,
			LongSupplier nanoTime, Executor executor) {
		this.admin = admin;
		this.executor = executor;
		this.queues = queues;
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Add a gauge for each queue consumed now and not yet measured, and remove the gauges of
	 * queues no longer consumed.
	 * @param registry the registry of the gauges
	 * @return the number of queues consumed
	 */
	synchronized int update(MeterRegistry registry) {
		Set<String> consumed = new HashSet<>(this.queues.get());
		for (String queue : consumed) {
			this.gauges.computeIfAbsent(queue, (name) -> Gauge.builder("taskqueue.queue.length", new Length(name),
					Length::read)
				.description("Messages waiting in a queue this worker consumes, not yet delivered to a consumer")
				.tag("queue", name)
				.strongReference(true)
				.register(registry));
		}
		this.gauges.entrySet().removeIf((entry) -> {
			if (consumed.contains(entry.getKey())) {
				return false;
			}
			registry.remove(entry.getValue());
			return true;
		});
		return consumed.size();
	}

	private final class Length {

		private final String queue;

		private final AtomicLong due;

		private final AtomicBoolean refreshing = new AtomicBoolean();

		private volatile double value = Double.NaN;

		Length(String queue) {
			this.queue = queue;
			this.due = new AtomicLong(QueueLengths.this.nanoTime.getAsLong());
		}

		double read() {
			long now = QueueLengths.this.nanoTime.getAsLong();
			long due = this.due.get();
			if (now - due >= 0 && this.due.compareAndSet(due, now + QueueLengths.this.intervalNanos)
					&& this.refreshing.compareAndSet(false, true)) {
				try {
					QueueLengths.this.executor.execute(this::refresh);
				}
				catch (RejectedExecutionException ex) {
					this.refreshing.set(false);
				}
			}
			return this.value;
		}

		private void refresh() {
			try {
				this.value = QueueLengths.this.admin.size(this.queue);
			}
			catch (RuntimeException | Error ex) {
				// an Error too: the gauge would keep a stale length as if it were current
				this.value = Double.NaN;
				if (logger.isDebugEnabled()) {
					logger.debug("Could not read the length of queue " + this.queue, ex);
				}
			}
			finally {
				this.refreshing.set(false);
			}
		}

	}

}
