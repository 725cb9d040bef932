package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery counts on the real RabbitMQ, on classic and quorum queues: a message whose
 * consumer's connection died comes back with one more delivery (RabbitMQ's
 * {@code x-delivery-count} on a quorum queue, a confirmed copy carrying the count on a
 * classic queue); a message given back with a requeue, or a requeued dead letter, does not
 * count.
 */
class AmqpDeliveryCountTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("deliv-");

	@ParameterizedTest(name = "quorum: {0}")
	@ValueSource(booleans = { false, true })
	void eachDeliveryWhoseConsumerDiedCountsOnce(boolean quorum) {
		QueueSpec queue = queue("lost", quorum);
		AmqpTransportOptions options = options(queue, true);
		this.rabbit.broker(options).publish(AmqpTestSupport.message(queue, "lost", 0));
		for (int expected = 1; expected <= 3; expected++) {
			assertThat(deliverAndDie(options, queue.name())).isEqualTo(expected);
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.rabbit.broker(options)
			.consume(new ConsumerSettings(List.of(queue.name()), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("lost");
			assertThat(delivery.deliveryCount()).isEqualTo(4);
			// a quorum queue's count is RabbitMQ's; a classic queue's rides on a copy
			assertThat(delivery.redelivered()).isTrue();
			assertThat(delivery.message().headers().extra().containsKey("x-delivery-count")).isEqualTo(quorum);
			assertThat(delivery.message().headers().extra()).doesNotContainKey(AmqpBroker.DELIVERY_COUNT_HEADER);
			delivery.ack();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> RabbitServer.unacknowledged(queue.name()) == 0);
		assertThat(this.rabbit.broker(options).size(queue.name())).isZero();
	}

	@ParameterizedTest(name = "quorum: {0}")
	@ValueSource(booleans = { false, true })
	void givingBackDoesNotCount(boolean quorum) {
		QueueSpec queue = queue("given-back", quorum);
		AmqpTransportOptions options = options(queue, true);
		AmqpBroker broker = this.rabbit.broker(options);
		broker.publish(AmqpTestSupport.message(queue, "given-back", 0));
		RecordingHandler handler = new RecordingHandler();
		Delivery last;
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue.name()), 1), handler)) {
			Delivery first = handler.await(1).get(0);
			assertThat(first.deliveryCount()).isEqualTo(1);
			first.requeue();
			last = handler.await(2).get(1);
			assertThat(last.message().id()).isEqualTo("given-back");
			assertThat(last.deliveryCount()).isEqualTo(1);
		}
		last.requeue();
		assertThat(deliverAndDie(options, queue.name())).isEqualTo(1);
		RecordingHandler next = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue.name()), 1), next)) {
			Delivery lost = next.await(1).get(0);
			assertThat(lost.deliveryCount()).isEqualTo(2);
			lost.requeue();
			Delivery back = next.await(2).get(1);
			assertThat(back.deliveryCount()).isEqualTo(2);
			back.ack();
		}
	}

	@ParameterizedTest(name = "quorum: {0}")
	@ValueSource(booleans = { false, true })
	void requeuedDeadLetterStartsAfresh(boolean quorum) {
		QueueSpec queue = queue("poison", quorum);
		AmqpTransportOptions options = options(queue, true);
		AmqpBroker broker = this.rabbit.broker(options);
		broker.publish(AmqpTestSupport.message(queue, "poison", 0));
		assertThat(deliverAndDie(options, queue.name())).isEqualTo(1);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue.name()), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.deliveryCount()).isEqualTo(2);
			delivery.deadLetter("too many deliveries");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(broker.deadLetters(queue.name(), 10)).singleElement()
					.satisfies((letter) -> assertThat(letter.reason()).isEqualTo("too many deliveries")));
			assertThat(broker.requeueDeadLetter(queue.name(), "poison")).isTrue();
			Delivery requeued = handler.await(2).get(1);
			assertThat(requeued.message().id()).isEqualTo("poison");
			assertThat(requeued.deliveryCount()).isEqualTo(1);
			requeued.ack();
		}
	}

	@Test
	void withoutPublisherConfirmsAClassicQueueCountsOnlyThatAMessageCameBack() {
		QueueSpec queue = queue("unconfirmed", false);
		AmqpTransportOptions options = options(queue, false);
		this.rabbit.broker(options).publish(AmqpTestSupport.message(queue, "unconfirmed", 0));
		assertThat(deliverAndDie(options, queue.name())).isEqualTo(1);
		assertThat(deliverAndDie(options, queue.name())).isEqualTo(2);
		assertThat(deliverAndDie(options, queue.name())).isEqualTo(2);
	}

	private QueueSpec queue(String name, boolean quorum) {
		String full = this.rabbit.name(name);
		return new QueueSpec(full, full, ExchangeType.DIRECT, full, true, null,
				quorum ? Map.of("x-queue-type", "quorum") : Map.of());
	}

	private static AmqpTransportOptions options(QueueSpec queue, boolean confirms) {
		return new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(queue.name(), queue), confirms,
				AmqpTransportOptions.DEFAULT_CONFIRM_TIMEOUT);
	}

	/**
	 * Take the next message of the queue on a connection of its own, read its delivery count,
	 * and close that connection without settling it, as a JVM that died does.
	 * @return the delivery count
	 */
	private int deliverAndDie(AmqpTransportOptions options, String queue) {
		CachingConnectionFactory factory = RabbitServer.connectionFactory("deliv-doomed");
		AmqpBroker doomed = new AmqpBroker(factory, AmqpTestSupport.CODEC, options);
		try {
			RecordingHandler handler = new RecordingHandler();
			Consumption consumption = doomed.consume(new ConsumerSettings(List.of(queue), 1), handler);
			int count = handler.await(1).get(0).deliveryCount();
			consumption.close();
			factory.destroy();
			await().atMost(Duration.ofSeconds(10)).until(() -> RabbitServer.unacknowledged(queue) == 0);
			return count;
		}
		finally {
			doomed.destroy();
			factory.destroy();
		}
	}

}
