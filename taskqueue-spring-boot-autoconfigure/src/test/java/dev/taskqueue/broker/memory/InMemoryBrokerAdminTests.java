package dev.taskqueue.broker.memory;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryBroker} as a {@link dev.taskqueue.broker.BrokerAdmin}.
 */
class InMemoryBrokerAdminTests {

	private static final JsonMessageCodec CODEC = new JsonMessageCodec();

	private final InMemoryBroker broker = new InMemoryBroker(CODEC);

	@Test
	void deadLettersAreReadPerQueueAndRequeuedByTaskId() {
		publish("q", "first");
		publish("q", "second");
		publish("other", "elsewhere");
		deadLetterAll(List.of("q", "other"), 3);
		assertThat(this.broker.size("q")).isZero();

		assertThat(this.broker.deadLetters("q", 10)).extracting(DeadLetter::taskId).containsExactly("first", "second");
		assertThat(this.broker.deadLetters("q", 1)).singleElement().satisfies((letter) -> {
			assertThat(letter.taskName()).isEqualTo("tasks.add");
			assertThat(letter.reason()).isEqualTo("unknown task first");
			assertThat(letter.time()).isNotNull();
		});
		assertThat(this.broker.deadLetters("other", 10)).extracting(DeadLetter::taskId).containsExactly("elsewhere");

		assertThat(this.broker.requeueDeadLetter("q", "elsewhere")).as("dead letter of another queue").isFalse();
		assertThat(this.broker.requeueDeadLetter("q", "second")).isTrue();
		assertThat(this.broker.requeueDeadLetter("q", "second")).isFalse();
		assertThat(this.broker.size("q")).isOne();
		assertThat(this.broker.deadLetters("q", 10)).extracting(DeadLetter::taskId).containsExactly("first");
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of("q"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("second");
			delivery.ack();
		}
	}

	private void publish(String queue, String id) {
		this.broker.publish(new OutboundMessage(CODEC.encode(TaskMessageBuilder.task("tasks.add").id(id).build()),
				Destination.queue(queue)));
	}

	private void deadLetterAll(List<String> queues, int count) {
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(queues, count), handler)) {
			for (Delivery delivery : handler.await(count)) {
				delivery.deadLetter("unknown task " + delivery.message().id());
			}
		}
	}

}
