package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisBroker#publishAsync}: publishes pipelined on the shared connection, in the
 * order one thread sent them, never more than the in-flight window waiting for Redis.
 */
class RedisBrokerBulkPublishTests {

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void aFullWindowMakesTheSenderWaitUntilRedisAnswers() throws Exception {
		RedisBroker broker = this.redis.broker(
				new RedisTransportOptions(this.redis.url(), Duration.ofHours(1), this.redis.prefix, 4),
				RedisTestSupport.CODEC);
		broker.publish(RedisTestSupport.message("bulk", "declared", 0));
		List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
		AtomicBoolean fifthReturned = new AtomicBoolean();
		Thread sender = new Thread(() -> {
			for (int i = 0; i < 5; i++) {
				sent.add(broker.publishAsync(RedisTestSupport.message("bulk", "task-" + i, 0)));
			}
			fifthReturned.set(true);
		});
		// Redis holds every client's commands for two seconds: none of the four is answered
		this.redis.redis.clientPause(2000);
		sender.start();
		await().atMost(Duration.ofSeconds(1)).until(() -> sent.size() == 4);
		await().during(Duration.ofMillis(1000)).atMost(Duration.ofMillis(1500))
			.until(() -> !fifthReturned.get() && sent.stream().noneMatch(CompletableFuture::isDone));
		sender.join(Duration.ofSeconds(10).toMillis());
		assertThat(fifthReturned).isTrue();
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
		assertThat(queuedIds("bulk")).containsExactly("declared", "task-0", "task-1", "task-2", "task-3",
				"task-4");
	}

	@Test
	void manyPublishesKeepTheOrderOfTheSendingThread() throws Exception {
		RedisBroker broker = this.redis.broker();
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			ids.add("task-" + i);
			sent.add(broker.publishAsync(RedisTestSupport.message("ordered", "task-" + i, 0)));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
		assertThat(queuedIds("ordered")).containsExactlyElementsOf(ids);
	}

	/** The ids in the order a consumer pops them (kombu pushes left and pops right). */
	private List<String> queuedIds(String queue) {
		List<String> ids = new ArrayList<>();
		for (String envelope : this.redis.redis.lrange(this.redis.key(queue), 0, -1)) {
			Map<String, Object> headers = map(map(MAPPER.readValue(envelope, Object.class)).get("headers"));
			ids.add((String) headers.get("id"));
		}
		Collections.reverse(ids);
		return ids;
	}

}
