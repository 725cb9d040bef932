package dev.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the broadcast messages it gets; shared by the broadcast tests of this package.
 */
final class BroadcastRecorder implements BroadcastListener {

	final List<Received> received = new CopyOnWriteArrayList<>();

	/** What the next messages throw, one each, after they are recorded. */
	final Queue<Throwable> toThrow = new ConcurrentLinkedQueue<>();

	@Override
	public void onMessage(String routingKey, BroadcastMessage message) {
		this.received.add(new Received(routingKey, message));
		Throwable failure = this.toThrow.poll();
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure instanceof RuntimeException exception) {
			throw exception;
		}
	}

	/** Wait until at least the given number of messages arrived, and return them all. */
	List<Received> await(int count) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() >= count);
		return List.copyOf(this.received);
	}

	/** Assert that no more than the given number of messages arrive during the window. */
	void assertStaysAt(int count, Duration window) {
		Awaitility.await()
			.during(window)
			.atMost(window.plusSeconds(5))
			.untilAsserted(() -> assertThat(this.received).hasSize(count));
	}

	/** The bodies received so far, as text. */
	List<String> bodies() {
		return this.received.stream().map(Received::body).toList();
	}

	/** A message in JSON. */
	static BroadcastMessage json(Map<String, Object> headers, String body, boolean persistent) {
		return new BroadcastMessage(headers, "application/json", "utf-8", body.getBytes(StandardCharsets.UTF_8),
				persistent);
	}

	/**
	 * A message and the routing key it came with.
	 * @param routingKey the routing key
	 * @param message the message
	 */
	record Received(String routingKey, BroadcastMessage message) {

		String body() {
			return new String(this.message.body(), StandardCharsets.UTF_8);
		}

	}

}
