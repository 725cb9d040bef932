package dev.taskqueue.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.CeleryJson;

/**
 * A {@link BroadcastTransport} that keeps what is published, for the tests of the events
 * sent on it: it can hold the publishing thread (a slow broker) or refuse (a broker that is
 * down). It receives nothing.
 */
final class RecordingBroadcastTransport implements BroadcastTransport {

	private final List<Published> published = new CopyOnWriteArrayList<>();

	private final AtomicInteger entered = new AtomicInteger();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private volatile boolean down;

	@Override
	public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		this.entered.incrementAndGet();
		try {
			this.gate.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.down) {
			throw new BrokerException("Connection refused");
		}
		this.published.add(new Published(exchange, routingKey, message));
	}

	@Override
	public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		throw new UnsupportedOperationException("Recording only");
	}

	/** Hold every publish until {@link #release()}. */
	void hold() {
		this.gate = new CountDownLatch(1);
	}

	void release() {
		this.gate.countDown();
	}

	/** How many publishes were called, held ones included. */
	int entered() {
		return this.entered.get();
	}

	void down(boolean down) {
		this.down = down;
	}

	List<Published> published() {
		return List.copyOf(this.published);
	}

	/** The events published, batches taken apart, in order. */
	List<Map<String, Object>> events() {
		return this.published.stream().flatMap((message) -> message.events().stream()).toList();
	}

	/**
	 * One message published.
	 *
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message
	 */
	record Published(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {

		Object body() {
			return CeleryJson.newMapper().readValue(this.message.body(), Object.class);
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> events() {
			Object body = body();
			return (body instanceof List<?> list) ? (List<Map<String, Object>>) list
					: List.of((Map<String, Object>) body);
		}

	}

}
