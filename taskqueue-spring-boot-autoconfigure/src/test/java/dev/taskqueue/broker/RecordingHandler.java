package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;

/**
 * Keeps the deliveries it gets, unsettled; shared by the transport tests.
 */
public final class RecordingHandler implements DeliveryHandler {

	public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	/** What the next deliveries throw, one each, after they are recorded. */
	public final Queue<Throwable> toThrow = new ConcurrentLinkedQueue<>();

	@Override
	public void onDelivery(Delivery delivery) {
		this.deliveries.add(delivery);
		Throwable failure = this.toThrow.poll();
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure instanceof RuntimeException exception) {
			throw exception;
		}
	}

	/** Wait until at least the given number of deliveries arrived, and return them all. */
	public List<Delivery> await(int count) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.deliveries.size() >= count);
		return List.copyOf(this.deliveries);
	}

	/**
	 * Assert that no more deliveries than the given count arrive during the window, as a
	 * prefetch limit or a closed consumption demands.
	 * @param count the number of deliveries that must stay
	 * @param window how long to watch
	 */
	public void assertStaysAt(int count, Duration window) {
		Awaitility.await()
			.during(window)
			.atMost(window.plusSeconds(5))
			.until(() -> this.deliveries.size() == count);
	}

	/** The task ids of the deliveries, in order. */
	public List<String> ids() {
		return this.deliveries.stream().map((delivery) -> delivery.message().id()).toList();
	}

}
