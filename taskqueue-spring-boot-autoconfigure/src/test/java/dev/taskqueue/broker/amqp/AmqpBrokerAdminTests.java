package dev.taskqueue.broker.amqp;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AmqpBroker} as a {@link dev.taskqueue.broker.BrokerAdmin} on the real
 * RabbitMQ: queue size, dead letters read without removing them, and a dead letter moved back
 * to its queue.
 */
class AmqpBrokerAdminTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@Test
	void deadLettersAreReadOldestFirstAndRequeuedByTaskId() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("api-admin");
		broker.publish(AmqpTestSupport.message(queue, "first", 0));
		broker.publish(AmqpTestSupport.message(queue, "second", 0));
		await().until(() -> broker.size(queue) == 2);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler)) {
			for (Delivery delivery : handler.await(2)) {
				delivery.deadLetter("unknown task " + delivery.message().id());
			}
		}
		assertThat(broker.size(queue)).isZero();

		List<DeadLetter> letters = broker.deadLetters(queue, 10);
		assertThat(letters).extracting(DeadLetter::taskId).containsExactly("first", "second");
		assertThat(letters).allSatisfy((letter) -> {
			assertThat(letter.queue()).isEqualTo(queue);
			assertThat(letter.taskName()).isEqualTo("tasks.add");
			assertThat(letter.reason()).isEqualTo("unknown task " + letter.taskId());
			assertThat(letter.time()).isNull();
		});
		assertThat(broker.deadLetters(queue, 1)).extracting(DeadLetter::taskId).containsExactly("first");
		assertThat(broker.deadLetters(queue, 10)).as("still there, in order, after reading")
			.extracting(DeadLetter::taskId)
			.containsExactly("first", "second");

		assertThat(broker.requeueDeadLetter(queue, "second")).isTrue();
		assertThat(broker.requeueDeadLetter(queue, "second")).as("moved already").isFalse();
		assertThat(broker.requeueDeadLetter(queue, "unknown")).isFalse();
		await().until(() -> broker.size(queue) == 1);
		assertThat(broker.deadLetters(queue, 10)).extracting(DeadLetter::taskId).containsExactly("first");
		RecordingHandler again = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), again)) {
			Delivery delivery = again.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("second");
			assertThat(delivery.message().headers().extra()).doesNotContainKey(AmqpBroker.DEAD_LETTER_REASON_HEADER);
			delivery.ack();
		}
	}

	@Test
	void queueWithoutDeadLettersHasNone() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("api-never");
		assertThat(broker.size(queue)).isZero();
		assertThat(broker.deadLetters(queue, 10)).isEmpty();
		assertThat(broker.requeueDeadLetter(queue, "any")).isFalse();
	}

}
