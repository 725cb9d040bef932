package dev.taskqueue.broker;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;

import static org.assertj.core.api.Assertions.assertThat;

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

	/**
	 * With a prefetch of 2 and at least 5 messages waiting: a deferred delivery frees its slot
	 * (one more arrives) until it is resumed (then settling two others lets only one more in).
	 */
	public void assertDeferralFreesASlotUntilResumed() {
		List<Delivery> first = await(2);
		assertStaysAt(2, Duration.ofMillis(300));
		assertThat(first.get(0).defer()).isTrue();
		assertThat(first.get(0).defer()).isFalse();
		await(3);
		assertStaysAt(3, Duration.ofMillis(300));
		first.get(0).resume();
		this.deliveries.get(1).ack();
		this.deliveries.get(2).ack();
		await(4);
		assertStaysAt(4, Duration.ofMillis(300));
		first.get(0).ack();
		await(5);
	}

}
