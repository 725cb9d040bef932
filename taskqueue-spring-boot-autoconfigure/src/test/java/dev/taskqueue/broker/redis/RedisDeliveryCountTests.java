package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery counts on the real Redis (database 15): a message whose consumer died comes back,
 * once restored, with one more delivery; a message given back with a requeue, or a requeued
 * dead letter, does not count; a first delivery and a settled message leave no counter.
 */
class RedisDeliveryCountTests {

	private static final Duration VISIBILITY = Duration.ofMillis(500);

	private static final String QUEUE = "deliv";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 15);

	@Test
	void eachDeliveryWhoseConsumerDiedCountsOnce() {
		RedisBroker survivor = this.redis.broker(VISIBILITY);
		survivor.publish(RedisTestSupport.message(QUEUE, "lost", 0));
		for (int expected = 1; expected <= 3; expected++) {
			assertThat(deliverAndDie()).isEqualTo(expected);
			await().atMost(Duration.ofSeconds(10)).until(() -> survivor.restoreVisible() == 1);
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = survivor.consume(new ConsumerSettings(List.of(QUEUE), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("lost");
			assertThat(delivery.deliveryCount()).isEqualTo(4);
			assertThat(delivery.deliveryCount()).isEqualTo(4);
			assertThat(counters()).hasSize(1);
			delivery.ack();
			await().atMost(Duration.ofSeconds(5)).until(() -> counters().isEmpty());
		}
	}

	@Test
	void firstDeliveryCostsNoCounter() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message(QUEUE, "first", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(QUEUE), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.deliveryCount()).isEqualTo(1);
			assertThat(counters()).isEmpty();
			delivery.ack();
		}
		assertThat(counters()).isEmpty();
	}

	@Test
	void givingBackDoesNotCount() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message(QUEUE, "given-back", 0));
		RecordingHandler handler = new RecordingHandler();
		Delivery third;
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(QUEUE), 1), handler)) {
			handler.await(1).get(0).requeue();
			Delivery again = handler.await(2).get(1);
			assertThat(again.redelivered()).isTrue();
			assertThat(again.deliveryCount()).isEqualTo(1);
			again.requeue();
			third = handler.await(3).get(2);
			assertThat(third.deliveryCount()).isEqualTo(1);
		}
		third.requeue();
		assertThat(deliverAndDie()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.restoreVisible() == 1);
		RecordingHandler next = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(QUEUE), 1), next)) {
			Delivery lost = next.await(1).get(0);
			assertThat(lost.deliveryCount()).isEqualTo(2);
			lost.requeue();
			Delivery back = next.await(2).get(1);
			assertThat(back.deliveryCount()).isEqualTo(2);
			back.ack();
		}
	}

	@Test
	void requeuedDeadLetterStartsAfresh() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message(QUEUE, "poison", 0));
		assertThat(deliverAndDie()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> broker.restoreVisible() == 1);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(QUEUE), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.deliveryCount()).isEqualTo(2);
			delivery.deadLetter("too many deliveries");
			await().atMost(Duration.ofSeconds(5)).until(() -> counters().isEmpty());
			assertThat(broker.deadLetters(QUEUE, 10)).singleElement()
				.satisfies((letter) -> assertThat(letter.reason()).isEqualTo("too many deliveries"));
			assertThat(broker.requeueDeadLetter(QUEUE, "poison")).isTrue();
			Delivery requeued = handler.await(2).get(1);
			assertThat(requeued.redelivered()).isTrue();
			assertThat(requeued.deliveryCount()).isEqualTo(1);
			requeued.ack();
		}
	}

	@Test
	void messageKombuRestoredCounts() {
		this.redis.broker(VISIBILITY).publish(RedisTestSupport.message(QUEUE, "kombu-restored", 0));
		assertThat(deliverAndDie()).isEqualTo(1);
		TestProcesses.sleep(1200);
		python("""
				from kombu import Connection
				options = {'global_keyprefix': PREFIX, 'visibility_timeout': 1}
				with Connection(URL, transport_options=options) as conn:
				    conn.default_channel.qos.restore_visible()
				""");
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.redis.broker()
			.consume(new ConsumerSettings(List.of(QUEUE), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("kombu-restored");
			assertThat(delivery.deliveryCount()).isEqualTo(2);
			delivery.ack();
		}
	}

	/**
	 * Take the next message of the queue on a broker of its own, read its delivery count, and
	 * cut that broker off without settling it, as if its JVM died.
	 * @return the delivery count
	 */
	private int deliverAndDie() {
		RedisBroker doomed = this.redis.crashableBroker(VISIBILITY);
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = doomed.consume(new ConsumerSettings(List.of(QUEUE), 1), handler);
		int count = handler.await(1).get(0).deliveryCount();
		consumption.close();
		this.redis.crash(doomed);
		// a restore it was running keeps unacked_mutex until it expires (300 s): expire it now
		this.redis.redis.del(this.redis.key("unacked_mutex"));
		return count;
	}

	private List<String> counters() {
		return this.redis.redis.keys(this.redis.key("_taskqueue.deliveries.*"));
	}

	private void python(String body) {
		String script = "import sys\nURL, PREFIX = sys.argv[1], sys.argv[2]\n" + body;
		try {
			Path file = Files.createTempFile("kombu-restore", ".py");
			try {
				Files.writeString(file, script, StandardCharsets.UTF_8);
				TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60),
						List.of("/usr/bin/python3", file.toString(), this.redis.url(), this.redis.prefix));
				assertThat(result.exit()).as(result.output()).isZero();
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
