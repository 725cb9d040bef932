package dev.taskqueue.broker.memory;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryBroker}.
 */
class InMemoryBrokerTests {

	private final JsonMessageCodec codec = new JsonMessageCodec();

	private final InMemoryBroker broker = new InMemoryBroker(this.codec);

	@Test
	void neverHandsOutMoreThanPrefetch() throws Exception {
		for (int i = 0; i < 5; i++) {
			publish("q", "m" + i, 0);
		}
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of("q"), 2), deliveries::add)) {
			Delivery first = deliveries.poll(5, TimeUnit.SECONDS);
			Delivery second = deliveries.poll(5, TimeUnit.SECONDS);
			assertThat(deliveries.poll(200, TimeUnit.MILLISECONDS)).isNull();
			assertThat(this.broker.size("q")).isEqualTo(3);
			first.ack();
			assertThat(deliveries.poll(5, TimeUnit.SECONDS)).isNotNull();
			assertThat(first.message().id()).isEqualTo("m0");
			assertThat(second.message().id()).isEqualTo("m1");
		}
	}

	@Test
	void higherPriorityFirstThenFifo() throws Exception {
		publish("q", "low", 0);
		publish("q", "high", 9);
		publish("q", "low2", 0);
		assertThat(takeIds("q", 3)).containsExactly("high", "low", "low2");
	}

	@Test
	void requeuedMessageIsRedelivered() throws Exception {
		publish("q", "m", 0);
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of("q"), 1), deliveries::add)) {
			Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
			assertThat(delivery.redelivered()).isFalse();
			delivery.requeue();
			Delivery again = deliveries.poll(5, TimeUnit.SECONDS);
			assertThat(again.redelivered()).isTrue();
			assertThat(again.message().id()).isEqualTo("m");
			again.deadLetter("because");
		}
		assertThat(this.broker.deadLetters("q", 10)).singleElement().satisfies((dead) -> {
			assertThat(dead.reason()).isEqualTo("because");
			assertThat(dead.queue()).isEqualTo("q");
		});
	}

	@Test
	void closedConsumptionStopsFetching() throws Exception {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		this.broker.consume(new ConsumerSettings(List.of("q"), 1), deliveries::add).close();
		publish("q", "m", 0);
		assertThat(deliveries.poll(300, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.broker.size("q")).isEqualTo(1);
	}

	private void publish(String queue, String id, int priority) {
		this.broker.publish(new OutboundMessage(
				this.codec.encode(TaskMessageBuilder.task("t").id(id).priority(priority).build()),
				Destination.queue(queue)));
	}

	private List<String> takeIds(String queue, int count) throws InterruptedException {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		List<String> ids = new java.util.ArrayList<>();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of(queue), 1), deliveries::add)) {
			for (int i = 0; i < count; i++) {
				Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
				ids.add(delivery.message().id());
				delivery.ack();
			}
		}
		return ids;
	}

}
