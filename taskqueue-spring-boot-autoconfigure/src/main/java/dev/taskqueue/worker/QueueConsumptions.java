package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;

/**
 * The consumptions of a running worker: one of its configured queues, and one for each queue
 * Celery's {@code add_consumer} command added, all handing deliveries to the same dispatcher.
 * Cancelling an added queue closes its consumption; cancelling a configured one restarts the
 * consumption of the configured queues without it. A closed consumption fetches nothing more,
 * and the deliveries it handed out stay valid, so none is lost or settled twice.
 */
final class QueueConsumptions implements Consumption {

	private static final Log logger = LogFactory.getLog(QueueConsumptions.class);

	private final Broker broker;

	private final DeliveryHandler handler;

	private int prefetch;

	private List<String> configured;

	private @Nullable Consumption main;

	private final Map<String, Consumption> added = new LinkedHashMap<>();

	private boolean closed;

	QueueConsumptions(Broker broker, DeliveryHandler handler, ConsumerSettings settings, Consumption main) {
		this.broker = broker;
		this.handler = handler;
		this.prefetch = settings.prefetch();
		this.configured = settings.queues();
		this.main = main;
	}

	/**
	 * Start consuming a queue, with a prefetch window of its own.
	 * @param queue the queue
	 * @return {@code false} when it is consumed already
	 */
	synchronized boolean add(String queue) {
		if (this.closed) {
			throw new IllegalStateException("The worker is stopping");
		}
		if (queues().contains(queue)) {
			return false;
		}
		this.added.put(queue, this.broker.consume(new ConsumerSettings(List.of(queue), this.prefetch), this.handler));
		logger.info("Started consuming from " + queue);
		return true;
	}

	/**
	 * Stop consuming a queue.
	 * @param queue the queue
	 * @return {@code false} when it was not consumed
	 */
	synchronized boolean cancel(String queue) {
		Consumption extra = this.added.remove(queue);
		if (extra != null) {
			extra.close();
			logger.info("No longer consuming from " + queue);
			return true;
		}
		if (this.closed || !this.configured.contains(queue)) {
			return false;
		}
		List<String> remaining = new ArrayList<>(this.configured);
		remaining.remove(queue);
		Consumption previous = this.main;
		this.main = null;
		this.configured = List.copyOf(remaining);
		if (previous != null) {
			previous.close();
		}
		if (!remaining.isEmpty()) {
			this.main = this.broker.consume(new ConsumerSettings(remaining, this.prefetch), this.handler);
		}
		logger.info("No longer consuming from " + queue + "; consuming " + remaining);
		return true;
	}

	/**
	 * Change the prefetch window, as Celery does when its pool grows or shrinks: each
	 * consumption is replaced by one with the new window, started before the old one closes.
	 * @param prefetch the most deliveries outstanding per consumption
	 */
	synchronized void setPrefetch(int prefetch) {
		if (this.closed || prefetch == this.prefetch) {
			return;
		}
		this.prefetch = prefetch;
		if (this.main != null) {
			this.main = replace(this.main, this.configured);
		}
		this.added.replaceAll((queue, consumption) -> replace(consumption, List.of(queue)));
		logger.info("Prefetching " + prefetch + " message(s) per consumption");
	}

	private Consumption replace(Consumption old, List<String> queues) {
		Consumption replacement = this.broker.consume(new ConsumerSettings(queues, this.prefetch), this.handler);
		old.close();
		return replacement;
	}

	/**
	 * Return the most deliveries outstanding per consumption.
	 * @return the prefetch
	 */
	synchronized int prefetch() {
		return this.prefetch;
	}

	/**
	 * Return the queues consumed now: the configured ones left, then the added ones.
	 * @return the queue names
	 */
	synchronized List<String> queues() {
		List<String> queues = new ArrayList<>(this.configured);
		queues.addAll(this.added.keySet());
		return queues;
	}

	@Override
	public synchronized @Nullable String failure() {
		String failure = (this.main != null) ? this.main.failure() : null;
		for (Consumption extra : this.added.values()) {
			if (failure == null) {
				failure = extra.failure();
			}
		}
		return failure;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.main != null) {
			this.main.close();
		}
		this.added.values().forEach(Consumption::close);
		this.added.clear();
	}

}
