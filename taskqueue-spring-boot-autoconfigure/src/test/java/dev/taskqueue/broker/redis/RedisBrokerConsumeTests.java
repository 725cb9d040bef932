package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.protocol.InboundLimits;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.SEP;
import static dev.taskqueue.broker.redis.RedisTestSupport.deliveryTag;
import static dev.taskqueue.broker.redis.RedisTestSupport.list;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Consuming against the real Redis: kombu's pop order, prefetch, ack emulation entries,
 * ack, requeue, dead-letter and malformed messages.
 */
class RedisBrokerConsumeTests {

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void popsByPriorityStepFirstThenByQueue() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("q1", "q1-p9", 9),
				RedisTestSupport.message("q2", "q2-p5", 5), RedisTestSupport.message("q1", "q1-p0-a", 0),
				RedisTestSupport.message("q2", "q2-p0", 0), RedisTestSupport.message("q1", "q1-p0-b", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("q1", "q2"), 10), handler)) {
			handler.await(5);
			assertThat(handler.ids()).containsExactly("q1-p0-a", "q1-p0-b", "q2-p0", "q2-p5", "q1-p9");
			assertThat(handler.deliveries).extracting(Delivery::queue).containsExactly("q1", "q1", "q2", "q2", "q1");
		}
	}

	@Test
	void blockingPopPicksUpMessagesPublishedLater() {
		RedisBroker broker = this.redis.broker();
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 4), handler)) {
			TestProcesses.sleep(300);
			broker.publish(RedisTestSupport.message("celery", "late-9", 9));
			handler.await(1);
			broker.publish(RedisTestSupport.message("celery", "late-0", 0));
			handler.await(2);
			assertThat(handler.ids()).containsExactly("late-9", "late-0");
			assertThat(handler.deliveries).allSatisfy((delivery) -> assertThat(delivery.redelivered()).isFalse());
		}
	}

	@Test
	void neverMoreThanPrefetchOutstanding() {
		RedisBroker broker = this.redis.broker();
		for (int i = 0; i < 10; i++) {
			broker.publish(RedisTestSupport.message("celery", "m" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 3), handler)) {
			handler.await(3);
			handler.assertStaysAt(3, Duration.ofMillis(500));
			assertThat(broker.size("celery")).isEqualTo(7);
			assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isEqualTo(3);
			handler.deliveries.get(0).ack();
			handler.deliveries.get(0).ack();
			handler.await(4);
			handler.assertStaysAt(4, Duration.ofMillis(300));
			handler.deliveries.get(1).requeue();
			handler.deliveries.get(2).deadLetter("no");
			handler.await(6);
			handler.assertStaysAt(6, Duration.ofMillis(300));
		}
	}

	@Test
	void recordsKombuAckEmulationAndAckRemovesIt() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "acked", 0));
		String raw = this.redis.redis.lindex(this.redis.key("celery"), 0);
		String tag = deliveryTag(raw);
		RecordingHandler handler = new RecordingHandler();
		double before = Instant.now().toEpochMilli() / 1000.0;
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 4), handler)) {
			Delivery delivery = handler.await(1).get(0);
			String value = this.redis.redis.hget(this.redis.key("unacked"), tag);
			// what Python's json.loads gives: [dict, str, str], the envelope byte for byte
			List<Object> entry = list(MAPPER.readValue(value, Object.class));
			assertThat(entry).hasSize(3);
			assertThat(entry.get(0)).isEqualTo(MAPPER.readValue(raw, Object.class));
			assertThat(entry.subList(1, 3)).containsExactly("", "celery");
			assertThat(value).isEqualTo("[" + raw + ", \"\", \"celery\"]");
			Double score = this.redis.redis.zscore(this.redis.key("unacked_index"), tag);
			assertThat(score).isBetween(before - 1, Instant.now().toEpochMilli() / 1000.0 + 1);
			assertThat(delivery.message().id()).isEqualTo("acked");
			assertThat(delivery.message().args()).containsExactly(2, 3);
			assertThat(delivery.queue()).isEqualTo("celery");
			delivery.ack();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(this.redis.redis.hexists(this.redis.key("unacked"), tag)).isFalse();
				assertThat(this.redis.redis.zscore(this.redis.key("unacked_index"), tag)).isNull();
			});
			assertThat(broker.size("celery")).isZero();
		}
	}

	@Test
	void requeuePutsTheMessageBackInFrontMarkedRedelivered() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "back", 5));
		RecordingHandler handler = new RecordingHandler();
		Delivery delivery;
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			delivery = handler.await(1).get(0);
			assertThat(delivery.redelivered()).isFalse();
		}
		broker.publish(RedisTestSupport.message("celery", "queued-later", 5));
		delivery.requeue();
		delivery.requeue();
		delivery.ack();
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
		List<String> list = this.redis.redis.lrange(this.redis.key("celery" + SEP + "3"), 0, -1);
		assertThat(list).hasSize(2);
		Map<String, Object> envelope = map(MAPPER.readValue(list.get(1), Object.class));
		assertThat(map(envelope.get("headers"))).containsEntry("redelivered", true).containsEntry("id", "back");
		assertThat(map(map(envelope.get("properties")).get("delivery_info"))).containsEntry("redelivered", true)
			.containsEntry("routing_key", "celery");
		RecordingHandler again = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), again)) {
			Delivery redelivered = again.await(1).get(0);
			assertThat(redelivered.message().id()).isEqualTo("back");
			assertThat(redelivered.redelivered()).isTrue();
			redelivered.ack();
		}
	}

	@Test
	void deadLetterRecordsTheReasonAndRemovesTheEntry() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "bad", 0));
		String raw = this.redis.redis.lindex(this.redis.key("celery"), 0);
		RecordingHandler handler = new RecordingHandler();
		Instant before = Instant.now();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			delivery.deadLetter("Task 'tasks.add' is not registered");
			delivery.ack();
		}
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
		List<DeadLetter> letters = broker.deadLetters("celery", 100);
		assertThat(letters).hasSize(1);
		assertThat(letters.get(0).queue()).isEqualTo("celery");
		assertThat(letters.get(0).reason()).isEqualTo("Task 'tasks.add' is not registered");
		assertThat(letters.get(0).rawText()).isEqualTo(raw);
		assertThat(letters.get(0).time()).isBetween(before.minusSeconds(1), Instant.now());
		Map<String, Object> record = map(MAPPER.readValue(this.redis.redis.lindex(this.redis.key("celery.dead-letter"), 0),
				Object.class));
		assertThat(record.keySet()).containsExactly("queue", "reason", "time", "envelope");
	}

	@Test
	void malformedMessagesFailToDecodeAndTheConsumerGoesOn() {
		RedisBroker broker = this.redis.broker();
		String badBase64 = "{\"body\": \"!!not base64!!\", \"content-encoding\": \"utf-8\", \"content-type\": "
				+ "\"application/json\", \"headers\": {}, \"properties\": {\"body_encoding\": \"base64\", "
				+ "\"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0, "
				+ "\"delivery_tag\": \"bad-base64-tag\"}}";
		String noProperties = "{\"body\": \"W10=\", \"headers\": {}}";
		this.redis.redis.lpush(this.redis.key("celery"), "not json at all", badBase64, noProperties);
		broker.publish(RedisTestSupport.message("celery", "good", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 10), handler)) {
			List<Delivery> deliveries = handler.await(4);
			assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> deliveries.get(0).message())
				.withMessageContaining("not JSON");
			assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> deliveries.get(1).message())
				.withMessageContaining("base64");
			assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> deliveries.get(2).message())
				.withMessageContaining("properties");
			assertThat(deliveries.get(3).message().id()).isEqualTo("good");
			// only the envelope with a delivery tag could be recorded
			assertThat(this.redis.redis.hkeys(this.redis.key("unacked"))).hasSize(2).contains("bad-base64-tag");
			for (Delivery delivery : deliveries.subList(0, 3)) {
				delivery.deadLetter("Invalid task message");
			}
			deliveries.get(3).ack();
			broker.publish(RedisTestSupport.message("celery", "after", 0));
			assertThat(handler.await(5).get(4).message().id()).isEqualTo("after");
		}
		assertThat(broker.deadLetters("celery", 100)).extracting(DeadLetter::rawText)
			.containsExactly("not json at all", badBase64, noProperties);
		assertThat(this.redis.redis.hkeys(this.redis.key("unacked"))).hasSize(1);
	}

	@Test
	void closeStopsPoppingAndOutstandingDeliveriesStayValid() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "held", 0));
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler);
		Delivery delivery = handler.await(1).get(0);
		consumption.close();
		broker.publish(RedisTestSupport.message("celery", "not-taken", 0));
		delivery.ack();
		handler.assertStaysAt(1, Duration.ofMillis(1500));
		assertThat(broker.size("celery")).isEqualTo(1);
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
	}

	@Test
	void destroyGivesOutstandingDeliveriesBack() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "outstanding", 0));
		RecordingHandler handler = new RecordingHandler();
		broker.consume(new ConsumerSettings(List.of("celery"), 1), handler);
		Delivery delivery = handler.await(1).get(0);
		broker.destroy();
		assertThat(broker.size("celery")).isEqualTo(1);
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		delivery.ack();
		assertThat(broker.size("celery")).isEqualTo(1);
	}

	@Test
	void handlerErrorsDeadLetterTheMessageAndTheConsumerGoesOn() {
		RedisBroker broker = this.redis.brokerWith(RedisTestSupport.message("celery", "oom", 0),
				RedisTestSupport.message("celery", "overflow", 0), RedisTestSupport.message("celery", "fine", 0));
		RecordingHandler handler = new RecordingHandler();
		handler.toThrow.add(new OutOfMemoryError("Java heap space"));
		handler.toThrow.add(new StackOverflowError());
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			List<Delivery> deliveries = handler.await(3);
			assertThat(deliveries.get(2).message().id()).isEqualTo("fine");
			deliveries.get(2).ack();
			assertThat(consumption.failure()).isNull();
		}
		assertThat(broker.deadLetters("celery", 100)).extracting(DeadLetter::reason)
			.containsExactly("Worker failed handling the message: java.lang.OutOfMemoryError: Java heap space",
					"Worker failed handling the message: java.lang.StackOverflowError");
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
	}

	@Test
	void deferredDeliveriesLeaveThePrefetchWindowUntilResumed() {
		RedisBroker broker = this.redis.broker();
		for (int i = 0; i < 6; i++) {
			broker.publish(RedisTestSupport.message("celery", "m" + i, 0));
		}
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 2), handler)) {
			handler.assertDeferralFreesASlotUntilResumed();
		}
	}

	@Test
	void envelopesFarOverTheBodyLimitAreDeadLetteredInsideRedisUnread() {
		JsonMessageCodec small = new JsonMessageCodec(null, new InboundLimits(1024, 1024, 50));
		RedisBroker broker = this.redis.broker(Duration.ofHours(1), small);
		broker.publish(huge("huge-backlog"));
		broker.publish(RedisTestSupport.message("celery", "small-1", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 4), handler)) {
			assertThat(handler.await(1).get(0).message().id()).isEqualTo("small-1");
			// seen by the blocking peek (BLMOVE) once the consumer waits in it, then refused by the pop script
			await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.redis.clientList().contains("cmd=blmove"));
			broker.publish(huge("huge-idle"));
			broker.publish(RedisTestSupport.message("celery", "small-2", 0));
			assertThat(handler.await(2).get(1).message().id()).isEqualTo("small-2");
			handler.assertStaysAt(2, Duration.ofMillis(300));
			handler.deliveries.forEach(Delivery::ack);
		}
		List<DeadLetter> letters = broker.deadLetters("celery", 100);
		assertThat(letters).hasSize(2).allSatisfy((letter) -> assertThat(letter.reason())
			.startsWith("Message envelope of ")
			.contains("exceeds the limit of " + RedisChannel.largestEnvelope(small.limits()) + " bytes"));
		assertThat(letters.get(0).rawText()).contains("huge-backlog");
		assertThat(letters.get(1).rawText()).contains("huge-idle");
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
	}

	private static OutboundMessage huge(String id) {
		return new OutboundMessage(RedisTestSupport.CODEC.encode(TaskMessageBuilder.task("tasks.add")
			.id(id)
			.args(List.of("x".repeat(2_000_000)))
			.build()), Destination.queue("celery"));
	}

}
