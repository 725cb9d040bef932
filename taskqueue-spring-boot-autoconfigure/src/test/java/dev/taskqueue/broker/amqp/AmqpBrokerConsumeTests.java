package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Consuming from the real RabbitMQ: the prefetch limit, acknowledging, requeueing and
 * dead-lettering from other threads, malformed messages, priorities, and what becomes of
 * outstanding deliveries when the consumption closes or the connection is lost.
 */
class AmqpBrokerConsumeTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@Test
	void noMoreThanPrefetchDeliveriesAreOutstanding() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("prefetch");
		for (int i = 0; i < 10; i++) {
			broker.publish(AmqpTestSupport.message(queue, "t" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 3), handler)) {
			List<Delivery> first = handler.await(3);
			handler.assertStaysAt(3, Duration.ofMillis(500));
			assertThat(handler.ids()).containsExactly("t0", "t1", "t2");
			Thread acker = new Thread(first.get(0)::ack);
			acker.start();
			assertThat(handler.await(4)).hasSize(4);
			handler.assertStaysAt(4, Duration.ofMillis(300));
		}
	}

	@Test
	void prefetchHoldsAcrossAllConsumedQueues() {
		AmqpBroker broker = this.rabbit.broker();
		String one = this.rabbit.name("one");
		String two = this.rabbit.name("two");
		for (int i = 0; i < 5; i++) {
			broker.publish(AmqpTestSupport.message(one, "one-" + i, 0));
			broker.publish(AmqpTestSupport.message(two, "two-" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(one, two), 4), handler)) {
			handler.await(4);
			handler.assertStaysAt(4, Duration.ofMillis(500));
			handler.deliveries.forEach(Delivery::ack);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				handler.deliveries.forEach(Delivery::ack);
				return handler.deliveries.size() == 10;
			});
			assertThat(handler.deliveries).extracting(Delivery::queue).containsOnly(one, two);
		}
		assertThat(broker.size(one) + broker.size(two)).isZero();
	}

	@Test
	void quorumQueueIsDeclaredAsPythonDoesAndConsumedWithAPerConsumerPrefetch() throws IOException {
		String queue = this.rabbit.name("quorum");
		QueueSpec spec = new QueueSpec(queue, queue, ExchangeType.DIRECT, queue, true, null,
				Map.of("x-queue-type", "quorum"));
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(queue, spec), true,
				AmqpTransportOptions.DEFAULT_CONFIRM_TIMEOUT));
		for (int i = 0; i < 5; i++) {
			broker.publish(AmqpTestSupport.message(spec, "q" + i, 0));
		}
		this.rabbit.channel().queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 3), handler)) {
			handler.await(3).forEach(Delivery::ack);
			await().atMost(Duration.ofSeconds(10)).until(() -> handler.deliveries.size() == 5);
			handler.deliveries.forEach(Delivery::ack);
			assertThat(handler.ids()).containsExactly("q0", "q1", "q2", "q3", "q4");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.size(queue) == 0);
	}

	@Test
	void ackRemovesTheMessage() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("ack");
		broker.publish(AmqpTestSupport.message(queue, "acked", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.queue()).isEqualTo(queue);
			assertThat(delivery.redelivered()).isFalse();
			assertThat(delivery.message().id()).isEqualTo("acked");
			assertThat(delivery.message().args()).containsExactly(2, 3);
			delivery.ack();
			delivery.ack();
		}
		assertThat(broker.size(queue)).isZero();
		RecordingHandler again = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), again)) {
			TestProcesses.sleep(500);
			assertThat(again.deliveries).isEmpty();
		}
	}

	@Test
	void requeueRedeliversMarkedRedelivered() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("requeue");
		broker.publish(AmqpTestSupport.message(queue, "again", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), handler)) {
			Delivery first = handler.await(1).get(0);
			assertThat(first.redelivered()).isFalse();
			new Thread(first::requeue).start();
			Delivery second = handler.await(2).get(1);
			assertThat(second.message().id()).isEqualTo("again");
			assertThat(second.redelivered()).isTrue();
			second.ack();
		}
		assertThat(broker.size(queue)).isZero();
	}

	@Test
	void deadLetterMovesTheMessageWithTheReason() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("dead");
		broker.publish(AmqpTestSupport.message(queue, "poison", 0));
		RecordingHandler handler = new RecordingHandler();
		byte[] body;
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			body = AmqpTestSupport.CODEC.encode(delivery.message()).body();
			delivery.deadLetter("Task 'tasks.add' is not registered on this worker");
		}
		assertThat(broker.size(queue)).isZero();
		assertThatNoExceptionRedeclaring(queue + ".dead-letter");
		List<DeadLetter> letters = broker.deadLetters(queue, 10);
		assertThat(letters).hasSize(1);
		DeadLetter letter = letters.get(0);
		assertThat(letter.queue()).isEqualTo(queue);
		assertThat(letter.reason()).isEqualTo("Task 'tasks.add' is not registered on this worker");
		assertThat(letter.taskId()).isEqualTo("poison");
		assertThat(letter.taskName()).isEqualTo("tasks.add");
		assertThat(letter.raw()).isEqualTo(body);
		assertThat(broker.deadLetters(queue, 10)).as("read again").hasSize(1);
		assertThat(broker.deadLetters(this.rabbit.name("never-dead-lettered"), 10)).isEmpty();
	}

	private void assertThatNoExceptionRedeclaring(String deadLetterQueue) throws IOException {
		this.rabbit.channel().queueDeclare(deadLetterQueue, true, false, false, Map.of());
	}

	@Test
	void malformedMessageThrowsOnDecodingAndTheConsumerGoesOn() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("malformed");
		broker.publish(AmqpTestSupport.message(queue, "before", 0));
		BasicProperties properties = new BasicProperties.Builder().contentType("application/json")
			.headers(Map.of("task", "tasks.add", "id", "broken"))
			.build();
		this.rabbit.channel.basicPublish("", queue, properties, "not json".getBytes(StandardCharsets.UTF_8));
		broker.publish(AmqpTestSupport.message(queue, "after", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 5), handler)) {
			List<Delivery> deliveries = handler.await(3);
			assertThat(deliveries.get(0).message().id()).isEqualTo("before");
			assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(deliveries.get(1)::message);
			assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(deliveries.get(1)::message);
			assertThat(deliveries.get(2).message().id()).isEqualTo("after");
			deliveries.get(1).deadLetter("Invalid task message");
			deliveries.get(0).ack();
			deliveries.get(2).ack();
		}
		assertThat(broker.deadLetters(queue, 5)).singleElement()
			.satisfies((letter) -> assertThat(letter.rawText()).isEqualTo("not json"));
	}

	@Test
	void messageWithoutContentTypeIsReadAsJson() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("no-content-type");
		broker.publish(AmqpTestSupport.message(queue, "first", 0));
		this.rabbit.channel.basicPublish("", queue,
				new BasicProperties.Builder().headers(Map.of("task", "tasks.add", "id", "bare")).build(),
				"[[1, 2], {}, {}]".getBytes(StandardCharsets.UTF_8));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 5), handler)) {
			Delivery delivery = handler.await(2).get(1);
			assertThat(delivery.message().id()).isEqualTo("bare");
			assertThat(delivery.message().args()).containsExactly(1, 2);
			assertThat(delivery.message().properties().correlationId()).isEqualTo("bare");
			handler.deliveries.forEach(Delivery::ack);
		}
	}

	@Test
	void higherPriorityIsDeliveredFirst() {
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL,
				Map.of(this.rabbit.prefix + "prio", priorityQueue(this.rabbit.name("prio"))), true,
				Duration.ofSeconds(10)));
		QueueSpec queue = priorityQueue(this.rabbit.prefix + "prio");
		for (int i = 0; i < 5; i++) {
			broker.publish(AmqpTestSupport.message(queue, "low-" + i, 1));
		}
		broker.publish(AmqpTestSupport.message(queue, "high", 9));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue.name()), 1), handler)) {
			Delivery first = handler.await(1).get(0);
			assertThat(first.message().id()).isEqualTo("high");
			assertThat(first.message().properties().priority()).isEqualTo(9);
			first.ack();
			assertThat(handler.await(2).get(1).message().id()).isEqualTo("low-0");
			handler.deliveries.get(1).ack();
		}
	}

	private static QueueSpec priorityQueue(String name) {
		return new QueueSpec(name, name, ExchangeType.DIRECT, name, true, 10);
	}

	@Test
	void deliveriesHandedOutStayValidAfterClose() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("close");
		for (int i = 0; i < 5; i++) {
			broker.publish(AmqpTestSupport.message(queue, "t" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler);
		List<Delivery> deliveries = handler.await(2);
		consumption.close();
		assertThat(handler.deliveries).hasSize(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.size(queue) == 3);
		deliveries.get(0).ack();
		deliveries.get(1).requeue();
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.size(queue) == 4);
		RecordingHandler next = new RecordingHandler();
		try (Consumption again = broker.consume(new ConsumerSettings(List.of(queue), 10), next)) {
			next.await(4);
			TestProcesses.sleep(300);
			assertThat(next.ids()).hasSize(4).doesNotContain("t0");
			next.deliveries.forEach(Delivery::ack);
		}
	}

	@Test
	void unsettledDeliveriesGoBackWhenTheBrokerIsDestroyed() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("destroyed");
		broker.publish(AmqpTestSupport.message(queue, "unsettled", 0));
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler);
		Delivery delivery = handler.await(1).get(0);
		consumption.close();
		broker.destroy();
		AmqpBroker inspector = this.rabbit.broker();
		await().atMost(Duration.ofSeconds(10)).until(() -> inspector.size(queue) == 1);
		delivery.ack();
		assertThat(inspector.size(queue)).isEqualTo(1);
	}

	@Test
	void settlingAfterTheConnectionWasLostDoesNotThrowAndTheMessageComesBack() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("lost");
		broker.publish(AmqpTestSupport.message(queue, "lost", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			this.rabbit.factory.resetConnection();
			delivery.ack();
			Delivery again = handler.await(2).get(1);
			assertThat(again.message().id()).isEqualTo("lost");
			assertThat(again.redelivered()).isTrue();
			again.ack();
		}
		assertThat(broker.size(queue)).isZero();
	}

	@Test
	void handlerErrorsDeadLetterTheMessageAndTheConsumerGoesOn() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("errors");
		broker.publish(AmqpTestSupport.message(queue, "oom", 0));
		broker.publish(AmqpTestSupport.message(queue, "overflow", 0));
		broker.publish(AmqpTestSupport.message(queue, "fine", 0));
		RecordingHandler handler = new RecordingHandler();
		handler.toThrow.add(new OutOfMemoryError("Java heap space"));
		handler.toThrow.add(new StackOverflowError());
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), handler)) {
			List<Delivery> deliveries = handler.await(3);
			assertThat(deliveries.get(2).message().id()).isEqualTo("fine");
			deliveries.get(2).ack();
			assertThat(consumption.failure()).isNull();
		}
		assertThat(broker.deadLetters(queue, 10)).extracting(DeadLetter::reason)
			.containsExactly("Worker failed handling the message: java.lang.OutOfMemoryError: Java heap space",
					"Worker failed handling the message: java.lang.StackOverflowError");
		assertThat(broker.size(queue)).isZero();
	}

	@Test
	void deferredDeliveriesRaiseTheChannelPrefetchUntilResumed() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("defer");
		for (int i = 0; i < 6; i++) {
			broker.publish(AmqpTestSupport.message(queue, "m" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler)) {
			handler.assertDeferralFreesASlotUntilResumed();
		}
	}

	@Test
	void failingDeadLettersBackOffThenStopTheQueueAndKeepTheMessage() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("dlq-broken");
		// a dead-letter queue declared otherwise than the broker declares it: every dead-lettering fails
		this.rabbit.channel().queueDeclare(queue + ".dead-letter", false, false, false, Map.of("x-max-length", 0));
		broker.publish(AmqpTestSupport.message(queue, "poison", 0));
		RecordingHandler handler = new RecordingHandler();
		for (int i = 0; i < DeadLetterRetries.MAX_ATTEMPTS; i++) {
			handler.toThrow.add(new IllegalStateException("boom " + i));
		}
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), handler)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> consumption.failure() != null);
			assertThat(consumption.failure()).contains("Cannot dead-letter messages of queue '" + queue + "'")
				.contains("stopped consuming the queue");
			handler.assertStaysAt(DeadLetterRetries.MAX_ATTEMPTS, Duration.ofSeconds(1));
			assertThat(broker.size(queue)).isZero();
		}
		broker.destroy();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.channel().queueDeclarePassive(queue).getMessageCount() == 1);
	}

}
