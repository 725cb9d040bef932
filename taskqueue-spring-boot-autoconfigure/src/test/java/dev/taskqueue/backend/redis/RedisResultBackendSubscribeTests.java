package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

import static dev.taskqueue.backend.redis.RedisFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for waiting on results with {@link RedisResultBackend#subscribe}. States are stored
 * by a second backend on its own connections, as a worker would.
 */
class RedisResultBackendSubscribeTests {

	@RegisterExtension
	static final RedisFixture redis = new RedisFixture("taskqueue-results-subscribe", Duration.ofHours(1));

	@Test
	void statesStoredAfterSubscribingAreDeliveredInOrder() {
		String taskId = redis.taskId();
		List<String> seen = new CopyOnWriteArrayList<>();
		ResultListener listener = (meta) -> seen.add(meta.status());
		try (ResultSubscription subscription = redis.backend.subscribe(taskId, listener)) {
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, Map.of("pid", 1, "hostname", "w@h")));
			for (int i = 0; i < 20; i++) {
				redis.worker.store(ResultMeta.of(taskId, "PROGRESS", Map.of("current", i)));
			}
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 42));
			await().atMost(WAIT).until(() -> seen.size() == 22);
		}
		List<String> expected = new ArrayList<>();
		expected.add("STARTED");
		expected.addAll(Collections.nCopies(20, "PROGRESS"));
		expected.add("SUCCESS");
		assertThat(seen).isEqualTo(expected);
	}

	@Test
	void deliversTheDecodedMeta() {
		String taskId = redis.taskId();
		CompletableFuture<ResultMeta> received = new CompletableFuture<>();
		try (ResultSubscription subscription = redis.backend.subscribe(taskId, received::complete)) {
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, Map.of("sum", 5)));
			ResultMeta meta = received.orTimeout(10, TimeUnit.SECONDS).join();
			assertThat(meta.taskId()).isEqualTo(taskId);
			assertThat(meta.status()).isEqualTo(CeleryStates.SUCCESS);
			assertThat(meta.result()).isEqualTo(Map.of("sum", 5));
			assertThat(meta.dateDone()).isNotNull();
		}
	}

	@Test
	void closeStopsDeliveryAndUnsubscribes() {
		String taskId = redis.taskId();
		String channel = TestRedis.key(taskId);
		List<String> seen = new CopyOnWriteArrayList<>();
		ResultSubscription subscription = redis.backend.subscribe(taskId, (meta) -> seen.add(meta.status()));
		assertThat(redis.numsub(channel)).isEqualTo(1);
		redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, null));
		await().atMost(WAIT).until(() -> seen.size() == 1);
		subscription.close();
		subscription.close();
		await().atMost(WAIT).until(() -> redis.numsub(channel) == 0);
		redis.worker.store(ResultMeta.of(taskId, "PROGRESS", null));
		List<String> other = new CopyOnWriteArrayList<>();
		try (ResultSubscription again = redis.backend.subscribe(taskId, (meta) -> other.add(meta.status()))) {
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
			await().atMost(WAIT).until(() -> other.size() == 1);
		}
		assertThat(other).containsExactly("SUCCESS");
		assertThat(seen).containsExactly("STARTED");
	}

	@Test
	void twoListenersOnOneTaskShareOneSubscription() {
		String taskId = redis.taskId();
		String channel = TestRedis.key(taskId);
		List<String> first = new CopyOnWriteArrayList<>();
		List<String> second = new CopyOnWriteArrayList<>();
		ResultSubscription one = redis.backend.subscribe(taskId, (meta) -> first.add(meta.status()));
		ResultSubscription two = redis.backend.subscribe(taskId, (meta) -> second.add(meta.status()));
		assertThat(redis.numsub(channel)).isEqualTo(1);
		redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, null));
		await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
		one.close();
		assertThat(redis.numsub(channel)).isEqualTo(1);
		redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
		await().atMost(WAIT).until(() -> second.size() == 2);
		// one dispatcher thread calls the listeners of a message one after the other
		assertThat(first).containsExactly("STARTED");
		assertThat(second).containsExactly("STARTED", "SUCCESS");
		two.close();
		await().atMost(WAIT).until(() -> redis.numsub(channel) == 0);
	}

	@Test
	void sameListenerSubscribedTwiceIsCalledTwiceAndClosedSeparately() {
		String taskId = redis.taskId();
		List<String> seen = new CopyOnWriteArrayList<>();
		ResultListener listener = (meta) -> seen.add(meta.status());
		ResultSubscription one = redis.backend.subscribe(taskId, listener);
		ResultSubscription two = redis.backend.subscribe(taskId, listener);
		redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, null));
		await().atMost(WAIT).until(() -> seen.size() == 2);
		one.close();
		redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, null));
		await().atMost(WAIT).until(() -> seen.size() == 3);
		two.close();
	}

	@Test
	void malformedPublishedPayloadIsSkipped() {
		String taskId = redis.taskId();
		List<ResultMeta> seen = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = redis.backend.subscribe(taskId, seen::add)) {
			redis.redis().publish(TestRedis.key(taskId), "not json");
			redis.redis().publish(TestRedis.key(taskId), "{\"status\": \"SUCCESS\"}");
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 7));
			await().atMost(WAIT).until(() -> !seen.isEmpty());
			assertThat(seen).singleElement().satisfies((meta) -> assertThat(meta.result()).isEqualTo(7));
		}
	}

	@Test
	void failingListenerDoesNotStopOthers() {
		String taskId = redis.taskId();
		List<String> seen = new CopyOnWriteArrayList<>();
		try (ResultSubscription failing = redis.backend.subscribe(taskId, (meta) -> {
			throw new IllegalStateException("listener bug");
		});
				ResultSubscription subscription = redis.backend.subscribe(taskId,
						(meta) -> seen.add(meta.status()))) {
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, null));
			redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, null));
			await().atMost(WAIT).until(() -> seen.size() == 2);
		}
	}

	@Test
	void destroyEndsSubscriptionsButLeavesTheConnectionFactoryOpen() {
		LettuceConnectionFactory factory = TestRedis.connectionFactory("taskqueue-results-destroy", redis.resources);
		try {
			RedisResultBackend destroyed = RedisFixture.backend(factory, Duration.ofHours(1));
			String taskId = redis.taskId();
			List<ResultMeta> seen = new CopyOnWriteArrayList<>();
			ResultSubscription subscription = destroyed.subscribe(taskId, seen::add);
			destroyed.destroy();
			await().atMost(WAIT).until(() -> redis.numsub(TestRedis.key(taskId)) == 0);
			subscription.close();
			assertThatExceptionOfType(ResultBackendException.class)
				.isThrownBy(() -> destroyed.subscribe(taskId, seen::add))
				.withMessageContaining("closed");
			destroyed.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1));
			assertThat(destroyed.get(taskId).result()).isEqualTo(1);
			assertThat(seen).isEmpty();
		}
		finally {
			factory.destroy();
		}
	}
}
