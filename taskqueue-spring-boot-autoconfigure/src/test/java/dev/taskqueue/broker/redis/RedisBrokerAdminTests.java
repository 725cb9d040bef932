package dev.taskqueue.broker.redis;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisBroker} as a {@link dev.taskqueue.broker.BrokerAdmin}: queue size, dead
 * letters read without removing them, and a dead letter moved back to its queue.
 */
class RedisBrokerAdminTests {

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 2);

	@Test
	void sizeCountsEveryPriorityList() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("api-q", "a", 0),
				RedisTestSupport.message("api-q", "b", 9));
		assertThat(broker.size("api-q")).isEqualTo(2);
		assertThat(broker.size("api-none")).isZero();
	}

	@Test
	void deadLettersAreReadOldestFirstAndRequeuedByTaskId() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("api-q", "first", 0),
				RedisTestSupport.message("api-q", "second", 0));
		String firstEnvelope = this.redis.redis.lindex(this.redis.key("api-q"), -1);
		Instant before = Instant.now();
		deadLetterAll(broker, 2);
		assertThat(broker.size("api-q")).isZero();

		List<DeadLetter> letters = broker.deadLetters("api-q", 10);
		assertThat(letters).extracting(DeadLetter::taskId).containsExactly("first", "second");
		assertThat(letters).allSatisfy((letter) -> {
			assertThat(letter.queue()).isEqualTo("api-q");
			assertThat(letter.taskName()).isEqualTo("tasks.add");
			assertThat(letter.reason()).isEqualTo("unknown task " + letter.taskId());
			assertThat(letter.time()).isBetween(before.minusSeconds(1), Instant.now());
		});
		assertThat(letters.get(0).rawText()).isEqualTo(firstEnvelope);
		assertThat(broker.deadLetters("api-q", 1)).extracting(DeadLetter::taskId).containsExactly("first");
		assertThat(broker.deadLetters("api-q", 10)).as("still there after reading").hasSize(2);

		assertThat(broker.requeueDeadLetter("api-q", "first")).isTrue();
		assertThat(broker.requeueDeadLetter("api-q", "first")).as("moved already").isFalse();
		assertThat(broker.requeueDeadLetter("api-q", "unknown")).isFalse();
		assertThat(broker.size("api-q")).isOne();
		assertThat(broker.deadLetters("api-q", 10)).extracting(DeadLetter::taskId).containsExactly("second");
		assertThat(this.redis.redis.lindex(this.redis.key("api-q"), 0)).isEqualTo(firstEnvelope);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("api-q"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("first");
			delivery.ack();
		}
	}

	@Test
	void requeueFindsADeadLetterBeyondTheFirstPage() {
		OutboundMessage[] messages = new OutboundMessage[150];
		for (int i = 0; i < messages.length; i++) {
			messages[i] = RedisTestSupport.message("api-q", "t" + i, 0);
		}
		RedisBroker broker = this.redis.brokerWith(messages);
		deadLetterAll(broker, messages.length);
		assertThat(broker.deadLetters("api-q", 120)).hasSize(120)
			.extracting(DeadLetter::taskId)
			.startsWith("t0", "t1")
			.endsWith("t119");
		assertThat(broker.requeueDeadLetter("api-q", "t149")).isTrue();
		assertThat(broker.size("api-q")).isOne();
		assertThat(broker.deadLetters("api-q", 200)).hasSize(149).extracting(DeadLetter::taskId).doesNotContain("t149");
	}

	@Test
	void deadLetterOfUnreadableEnvelopeHasNoTaskId() {
		this.redis.redis.lpush(this.redis.key("api-q"), "not json at all");
		RedisBroker broker = this.redis.broker();
		deadLetterAll(broker, 1);
		assertThat(broker.deadLetters("api-q", 10)).singleElement().satisfies((letter) -> {
			assertThat(letter.taskId()).isNull();
			assertThat(letter.taskName()).isNull();
			assertThat(letter.rawText()).isEqualTo("not json at all");
		});
	}

	private static void deadLetterAll(RedisBroker broker, int count) {
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("api-q"), count), handler)) {
			for (Delivery delivery : handler.await(count)) {
				String id;
				try {
					id = delivery.message().id();
				}
				catch (RuntimeException ex) {
					id = "unreadable";
				}
				delivery.deadLetter("unknown task " + id);
			}
		}
	}

}
