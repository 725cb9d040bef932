package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;

import static dev.taskqueue.broker.redis.RedisTestSupport.SEP;
import static dev.taskqueue.broker.redis.RedisTestSupport.deliveryTag;
import static dev.taskqueue.broker.redis.RedisTestSupport.fixtureRaw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kombu's visibility timeout against the real Redis: unacknowledged entries older than the
 * timeout (their consumer went away) go back to their queue, marked redelivered, under the
 * {@code unacked_mutex} lock.
 */
class RedisBrokerRestoreTests {

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void restoresWhatACrashedPythonConsumerLeftAsKombuDoes() {
		String raw = fixtureRaw("01_delay_add_2_3.json");
		String tag = deliveryTag(raw);
		leaveUnacked(tag, "[" + raw + ", \"\", \"celery\"]", 10);
		RedisBroker broker = this.redis.broker(Duration.ofSeconds(1));
		assertThat(broker.restoreVisible()).isEqualTo(1);
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
		// what kombu's _do_restore_message writes: the keys appended, json.dumps layout
		String expected = raw.replace("\"ignore_result\": false}", "\"ignore_result\": false, \"redelivered\": true}")
			.replace("\"routing_key\": \"celery\"}", "\"routing_key\": \"celery\", \"redelivered\": true}");
		assertThat(this.redis.redis.lrange(this.redis.key("celery"), 0, -1)).containsExactly(expected);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.redelivered()).isTrue();
			assertThat(delivery.message().id()).isEqualTo("cb03322d-0453-4908-bb3f-6a6443f1b96b");
			delivery.ack();
		}
	}

	@Test
	void consumingRestoresCrashedEntriesWithoutBeingAsked() {
		String raw = fixtureRaw("08_priority_5.json");
		leaveUnacked(deliveryTag(raw), "[" + raw + ", \"\", \"celery\"]", 5);
		RecordingHandler handler = new RecordingHandler();
		RedisBroker broker = this.redis.broker(Duration.ofSeconds(1));
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.redelivered()).isTrue();
			assertThat(delivery.message().properties().priority()).isEqualTo(5);
			delivery.ack();
		}
	}

	@Test
	void abandonedJavaDeliveryIsDeliveredAgainAfterTheVisibilityTimeout() {
		RedisBroker crashed = this.redis.crashableBroker(Duration.ofSeconds(1));
		crashed.publish(RedisTestSupport.message("celery", "abandoned", 0));
		RecordingHandler first = new RecordingHandler();
		Consumption consumption = crashed.consume(new ConsumerSettings(List.of("celery"), 1), first);
		Delivery abandoned = first.await(1).get(0);
		assertThat(abandoned.redelivered()).isFalse();
		consumption.close();
		this.redis.crash(crashed);
		RecordingHandler second = new RecordingHandler();
		Instant start = Instant.now();
		try (Consumption other = this.redis.broker(Duration.ofSeconds(1))
			.consume(new ConsumerSettings(List.of("celery"), 1), second)) {
			Delivery again = second.await(1).get(0);
			assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
			assertThat(again.message().id()).isEqualTo("abandoned");
			assertThat(again.redelivered()).isTrue();
			again.ack();
		}
	}

	@Test
	void youngEntriesStay() {
		RedisBroker broker = this.redis.broker();
		broker.publish(RedisTestSupport.message("celery", "young", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			handler.await(1);
			assertThat(broker.restoreVisible()).isZero();
			assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isEqualTo(1);
			assertThat(broker.size("celery")).isZero();
		}
	}

	@Test
	void doesNothingWhileAnotherConsumerHoldsTheMutex() {
		String raw = fixtureRaw("01_delay_add_2_3.json");
		leaveUnacked(deliveryTag(raw), "[" + raw + ", \"\", \"celery\"]", 10);
		this.redis.redis.set(this.redis.key("unacked_mutex"), "python-token");
		RedisBroker broker = this.redis.broker(Duration.ofSeconds(1));
		assertThat(broker.restoreVisible()).isEqualTo(-1);
		assertThat(this.redis.redis.get(this.redis.key("unacked_mutex"))).isEqualTo("python-token");
		this.redis.redis.del(this.redis.key("unacked_mutex"));
		assertThat(broker.restoreVisible()).isEqualTo(1);
		assertThat(this.redis.redis.exists(this.redis.key("unacked_mutex"))).isZero();
	}

	@Test
	void namedExchangesRestoreToTheBoundQueuesAtTheirPriority() {
		String raw = fixtureRaw("09_priority_9.json").replace("\"exchange\": \"\", \"routing_key\": \"celery\"",
				"\"exchange\": \"tasks\", \"routing_key\": \"add\"");
		this.redis.redis.sadd(this.redis.key("_kombu.binding.tasks"), "add" + SEP + SEP + "adders",
				"other" + SEP + SEP + "others");
		leaveUnacked(deliveryTag(raw), "[" + raw + ", \"tasks\", \"add\"]", 10);
		assertThat(this.redis.broker(Duration.ofSeconds(1)).restoreVisible()).isEqualTo(1);
		assertThat(this.redis.redis.llen(this.redis.key("adders" + SEP + "9"))).isEqualTo(1);
		assertThat(this.redis.redis.exists(this.redis.key("others"), this.redis.key("others" + SEP + "9"))).isZero();
	}

	@Test
	void unroutableEntriesAreDeadLetteredAndStaleIndexEntriesDropped() {
		String raw = fixtureRaw("01_delay_add_2_3.json").replace("\"exchange\": \"\"", "\"exchange\": \"nowhere\"");
		leaveUnacked(deliveryTag(raw), "[" + raw + ", \"nowhere\", \"celery\"]", 10);
		this.redis.redis.zadd(this.redis.key("unacked_index"), Instant.now().getEpochSecond() - 10, "stale");
		RedisBroker broker = this.redis.broker(Duration.ofSeconds(1));
		assertThat(broker.restoreVisible()).isZero();
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		assertThat(broker.deadLetters("celery", 100)).singleElement()
			.satisfies((letter) -> assertThat(letter.reason()).contains("no queue is bound to exchange 'nowhere'"));
	}

	private void leaveUnacked(String tag, String value, int secondsAgo) {
		this.redis.redis.hset(this.redis.key("unacked"), tag, value);
		this.redis.redis.zadd(this.redis.key("unacked_index"),
				Instant.now().minusSeconds(secondsAgo).toEpochMilli() / 1000.0, tag);
	}

}
