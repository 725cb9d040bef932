package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

import static dev.taskqueue.backend.redis.RedisFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link RedisResultBackend#subscribe} returns only once the subscription is
 * active in Redis: a state stored by a worker right afterwards is never missed, also while
 * other threads subscribe to and leave the same channels.
 */
class RedisResultBackendSubscribeRaceTests {

	@RegisterExtension
	static final RedisFixture redis = new RedisFixture("taskqueue-results-race", Duration.ofHours(1));

	@Test
	void aStoreRightAfterSubscribeReturnsIsNeverMissed() {
		int rounds = 200;
		List<CompletableFuture<ResultMeta>> results = new ArrayList<>();
		List<ResultSubscription> subscriptions = new ArrayList<>();
		try {
			for (int i = 0; i < rounds; i++) {
				String taskId = redis.taskId();
				CompletableFuture<ResultMeta> result = new CompletableFuture<>();
				subscriptions.add(redis.backend.subscribe(taskId, result::complete));
				redis.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, i));
				results.add(result);
			}
			await().atMost(WAIT).until(() -> results.stream().allMatch(CompletableFuture::isDone));
			for (int i = 0; i < rounds; i++) {
				assertThat(results.get(i).join().result()).isEqualTo(i);
			}
		}
		finally {
			subscriptions.forEach(ResultSubscription::close);
		}
	}

	@Test
	void concurrentSubscribeAndCloseOnSharedChannelsNeverLoseAPublish() throws Exception {
		List<String> taskIds = List.of(redis.taskId(), redis.taskId(), redis.taskId());
		int threads = 8;
		int rounds = 40;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					for (int round = 0; round < rounds; round++) {
						String taskId = taskIds.get((thread + round) % taskIds.size());
						String marker = thread + "-" + round;
						CompletableFuture<ResultMeta> received = new CompletableFuture<>();
						try (ResultSubscription subscription = redis.backend.subscribe(taskId, (meta) -> {
							if (marker.equals(meta.result())) {
								received.complete(meta);
							}
						})) {
							redis.worker.store(ResultMeta.of(taskId, "PROGRESS", marker));
							received.orTimeout(10, TimeUnit.SECONDS).join();
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		for (String taskId : taskIds) {
			await().atMost(WAIT).until(() -> redis.numsub(TestRedis.key(taskId)) == 0);
		}
	}
}
