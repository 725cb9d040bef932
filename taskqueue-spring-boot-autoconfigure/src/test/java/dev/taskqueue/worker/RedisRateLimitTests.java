package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.redis.RedisTokenBuckets;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RateLimitTransportTests} on Redis (database {@value #DB}, keys under a prefix of the
 * test's own that starts with {@code rate-}), and a cluster-wide limit that two workers on
 * the same queue share through {@link RedisTokenBuckets}.
 */
class RedisRateLimitTests extends RateLimitTransportTests {

	static final int DB = 15;

	private final String prefix = "rate-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final LettuceConnectionFactory connectionFactory = RedisServer.connectionFactory(DB, "rate-tests", null);

	private final List<RedisBroker> brokers = new ArrayList<>();

	@Override
	Broker broker() {
		RedisBroker broker = new RedisBroker(this.connectionFactory, new JsonMessageCodec(),
				new RedisTransportOptions(RedisServer.url(DB), Duration.ofHours(1), this.prefix));
		this.brokers.add(broker);
		return broker;
	}

	@Test
	void clusterWideLimitHoldsForTwoWorkersTogether() {
		RedisTokenBuckets buckets = new RedisTokenBuckets(this.connectionFactory, this.prefix + "buckets:",
				RedisServer.url(DB));
		RateLimitedTasks.ClusterLimited onOne = new RateLimitedTasks.ClusterLimited();
		RateLimitedTasks.ClusterLimited onOther = new RateLimitedTasks.ClusterLimited();
		// each worker holds one task at a time, so that both get some
		Fixture one = new Fixture(broker(), 1, 1, 0, onOne);
		Fixture other = new Fixture(broker(), 1, 1, 0, onOther);
		one.worker.setSharedTokenBuckets(buckets);
		other.worker.setSharedTokenBuckets(buckets);
		for (int i = 0; i < 11; i++) {
			one.template.send("rate.shared");
		}
		one.worker.start();
		other.worker.start();

		await().atMost(PATIENCE).until(() -> onOne.starts.size() + onOther.starts.size() == 11);
		assertThat(onOne.starts).as("started on one worker").isNotEmpty();
		assertThat(onOther.starts).as("started on the other worker").isNotEmpty();
		List<Long> all = new ArrayList<>(onOne.starts);
		all.addAll(onOther.starts);
		double mean = RateLimitedTasks.gaps(all).stream().mapToLong(Long::longValue).average().orElseThrow();
		// per worker, two workers would start them twice as fast
		assertThat(mean).as("mean gap over both workers, ns")
			.isGreaterThanOrEqualTo(RateLimitedTasks.ClusterLimited.INTERVAL_NANOS * 0.95);
	}

	@Override
	void cleanUp() {
		this.brokers.forEach(RedisBroker::destroy);
		RedisClient client = RedisClient.create(RedisServer.url(DB));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> keys = redis.scan(cursor, ScanArgs.Builder.matches(this.prefix + "*").limit(1000));
				if (!keys.getKeys().isEmpty()) {
					redis.del(keys.getKeys().toArray(new String[0]));
				}
				cursor = keys;
			}
			while (!cursor.isFinished());
		}
		finally {
			client.shutdown();
			this.connectionFactory.destroy();
		}
	}

}
