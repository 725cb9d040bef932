package dev.taskqueue.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.protocol.CeleryJson;

/**
 * The one thread that talks to the broker for an {@link EventDispatcher}: it takes the events
 * from the queue, sends each worker event at once, and gathers task events into one
 * {@code task.multi} message (a JSON list), sent when the batch is full or its first event
 * waited the flush interval, as Celery's worker flushes its buffer. When the dispatcher
 * closes, it sends what is queued and the batch, then ends.
 */
final class EventSender implements Runnable {

	static final String BATCH_ROUTING_KEY = "task.multi";

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	private final BroadcastTransport transport;

	private final BroadcastExchange exchange;

	private final Map<String, Object> headers;

	private final BlockingQueue<QueuedEvent> queue;

	private final int batchLimit;

	private final long flushIntervalNanos;

	private final BooleanSupplier stopping;

	private final DroppedEvents dropped;

	private final List<Map<String, @Nullable Object>> batch = new ArrayList<>();

	private long flushAt;

	EventSender(BroadcastTransport transport, BroadcastExchange exchange, String hostname,
			BlockingQueue<QueuedEvent> queue, EventDispatcher.Settings settings, BooleanSupplier stopping,
			DroppedEvents dropped) {
		this.transport = transport;
		this.exchange = exchange;
		this.headers = Map.of("hostname", hostname);
		this.queue = queue;
		this.batchLimit = settings.batchLimit();
		this.flushIntervalNanos = settings.flushInterval().toNanos();
		this.stopping = stopping;
		this.dropped = dropped;
	}

	@Override
	public void run() {
		try {
			while (!(this.stopping.getAsBoolean() && this.queue.isEmpty())) {
				QueuedEvent next = next();
				if (next != null && next.event() != null) {
					accept(next);
				}
				if (!this.batch.isEmpty() && (this.batch.size() >= this.batchLimit || System.nanoTime() - this.flushAt >= 0)) {
					flush();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		flush();
		int left = this.queue.size();
		if (left > 0) {
			this.dropped.drop(left, "the dispatcher closed before they were sent", null);
		}
	}

	// The next event, waiting at most until the batch is due; null when it is due.
	private @Nullable QueuedEvent next() throws InterruptedException {
		if (this.batch.isEmpty()) {
			return this.queue.take();
		}
		long wait = this.flushAt - System.nanoTime();
		return (wait > 0) ? this.queue.poll(wait, TimeUnit.NANOSECONDS) : this.queue.poll();
	}

	private void accept(QueuedEvent next) {
		Map<String, @Nullable Object> event = next.event();
		if (event == null) {
			return;
		}
		if (!next.batched()) {
			publish(String.valueOf(event.get("type")).replace('-', '.'), event, 1);
			return;
		}
		if (this.batch.isEmpty()) {
			this.flushAt = System.nanoTime() + this.flushIntervalNanos;
		}
		this.batch.add(event);
	}

	private void flush() {
		if (!this.batch.isEmpty()) {
			publish(BATCH_ROUTING_KEY, List.copyOf(this.batch), this.batch.size());
			this.batch.clear();
		}
	}

	private void publish(String routingKey, Object body, int events) {
		try {
			byte[] json = MAPPER.writeValueAsBytes(body);
			this.transport.publish(this.exchange, routingKey,
					new BroadcastMessage(this.headers, "application/json", "utf-8", json, false));
		}
		catch (RuntimeException | Error ex) {
			this.dropped.drop(events, "the broker did not take them", ex);
		}
	}

	/**
	 * An event waiting to be sent.
	 *
	 * @param event the event, or {@code null} for the wake-up sent when the dispatcher closes
	 * @param batched whether it goes in a {@code task.multi} batch
	 */
	record QueuedEvent(@Nullable Map<String, @Nullable Object> event, boolean batched) {

		static final QueuedEvent WAKE_UP = new QueuedEvent(null, false);

	}

}
