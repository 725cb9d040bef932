package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The messages a broker still holds keep a fresh {@code unacked_index} score, so that no
 * visibility-timeout scan, Java or Python, delivers them a second time; against the real
 * Redis with a visibility timeout of one second.
 */
class RedisBrokerRenewalTests {

	private static final Duration VISIBILITY = Duration.ofSeconds(1);

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void deliveryHeldLongerThanTheVisibilityTimeoutIsNotRestored() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message("celery", "long-task", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 2), handler)) {
			Delivery delivery = handler.await(1).get(0);
			String tag = heldTag();
			double delivered = score(tag);
			await().during(VISIBILITY.multipliedBy(4))
				.atMost(VISIBILITY.multipliedBy(9))
				.until(() -> handler.deliveries.size() == 1 && broker.size("celery") == 0 && score(tag) != null);
			assertThat(score(tag)).isGreaterThan(delivered + 2 * VISIBILITY.toSeconds());
			delivery.ack();
			await().atMost(Duration.ofSeconds(5)).until(this::nothingUnacked);
		}
	}

	@Test
	void deliveryOfAClosedConsumptionIsRenewedUntilSettled() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message("celery", "acks-late", 0));
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler);
		Delivery delivery = handler.await(1).get(0);
		String tag = heldTag();
		double delivered = score(tag);
		consumption.close();
		await().atMost(VISIBILITY.multipliedBy(10)).until(() -> {
			Double score = score(tag);
			return score == null || score > delivered + 3 * VISIBILITY.toSeconds();
		});
		assertThat(score(tag)).isNotNull();
		assertThat(broker.size("celery")).isZero();
		assertThat(broker.restoreVisible()).isZero();
		delivery.ack();
		await().atMost(Duration.ofSeconds(5)).until(this::nothingUnacked);
	}

	@Test
	void renewalNeverRecreatesAnEntrySomeoneElseRemoved() {
		RedisBroker broker = this.redis.broker(VISIBILITY);
		broker.publish(RedisTestSupport.message("celery", "taken-away", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			String tag = heldTag();
			// as a Python worker with a shorter visibility timeout would restore it
			this.redis.redis.zrem(this.redis.key("unacked_index"), tag);
			this.redis.redis.hdel(this.redis.key("unacked"), tag);
			await().during(VISIBILITY.multipliedBy(2))
				.atMost(VISIBILITY.multipliedBy(5))
				.until(() -> this.redis.redis.zcard(this.redis.key("unacked_index")) == 0);
			delivery.ack();
		}
		assertThat(nothingUnacked()).isTrue();
	}

	@Test
	void failedRenewalIsLoggedOnceAndRetried() {
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(UnackedRenewer.class);
		Level level = logger.getLevel();
		logs.start();
		logger.addAppender(logs);
		logger.setLevel(Level.DEBUG);
		String index = this.redis.key("unacked_index");
		try {
			RedisBroker broker = this.redis.broker(VISIBILITY);
			broker.publish(RedisTestSupport.message("celery", "outage", 0));
			RecordingHandler handler = new RecordingHandler();
			try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 1), handler)) {
				Delivery delivery = handler.await(1).get(0);
				String tag = heldTag();
				// every renewal fails (WRONGTYPE) while the index is moved aside
				this.redis.redis.rename(index, this.redis.key("index-aside"));
				this.redis.redis.set(index, "not a sorted set");
				await().atMost(Duration.ofSeconds(10)).until(() -> events(logs, Level.DEBUG) >= 2);
				assertThat(events(logs, Level.WARN)).isOne();
				// the outage lasted less than a visibility timeout
				Instant back = Instant.now();
				this.redis.redis.zadd(this.redis.key("index-aside"), back.toEpochMilli() / 1000.0, tag);
				this.redis.redis.del(index);
				this.redis.redis.rename(this.redis.key("index-aside"), index);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> score(tag) > back.toEpochMilli() / 1000.0 && events(logs, Level.INFO) == 1);
				assertThat(handler.deliveries).hasSize(1);
				delivery.ack();
			}
		}
		finally {
			logger.detachAppender(logs);
			logger.setLevel(level);
		}
	}

	@Test
	void restoreLeavesAnEntryRenewedSinceTheScanReadIt() {
		String raw = RedisTestSupport.fixtureRaw("01_delay_add_2_3.json");
		String tag = RedisTestSupport.deliveryTag(raw);
		String value = "[" + raw + ", \"\", \"celery\"]";
		this.redis.redis.hset(this.redis.key("unacked"), tag, value);
		this.redis.redis.zadd(this.redis.key("unacked_index"), Instant.now().toEpochMilli() / 1000.0, tag);
		RedisKeys keys = new RedisKeys(this.redis.prefix);
		RedisConnector connector = new RedisConnector(this.redis.factory, this.redis.url());
		byte[][] scriptKeys = { keys.unacked(), keys.unackedIndex(), keys.list("celery", 0) };
		byte[] scanCeiling = RedisKeys.bytes(RedisChannel.seconds(Instant.now().minusSeconds(10)));
		Long renewed = connector.await(KombuScripts.RESTORE.run(connector.commands(), scriptKeys,
				RedisKeys.bytes(tag), RedisKeys.bytes(raw), RedisKeys.bytes(value), scanCeiling), "restore");
		assertThat(renewed).isEqualTo(-1);
		assertThat(this.redis.redis.hexists(this.redis.key("unacked"), tag)).isTrue();
		assertThat(this.redis.redis.llen(this.redis.key("celery"))).isZero();
		byte[] laterCeiling = RedisKeys.bytes(RedisChannel.seconds(Instant.now().plusSeconds(1)));
		Long restored = connector.await(KombuScripts.RESTORE.run(connector.commands(), scriptKeys,
				RedisKeys.bytes(tag), RedisKeys.bytes(raw), RedisKeys.bytes(value), laterCeiling), "restore");
		assertThat(restored).isOne();
		assertThat(nothingUnacked()).isTrue();
		assertThat(this.redis.redis.llen(this.redis.key("celery"))).isOne();
		connector.close();
	}

	private String heldTag() {
		List<String> tags = this.redis.redis.hkeys(this.redis.key("unacked"));
		assertThat(tags).hasSize(1);
		return tags.get(0);
	}

	private Double score(String tag) {
		return this.redis.redis.zscore(this.redis.key("unacked_index"), tag);
	}

	private boolean nothingUnacked() {
		return this.redis.redis.hlen(this.redis.key("unacked")) == 0
				&& this.redis.redis.zcard(this.redis.key("unacked_index")) == 0;
	}

	private static long events(ListAppender<ILoggingEvent> logs, Level level) {
		return logs.list.stream().filter((event) -> event.getLevel() == level).count();
	}

}
