package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the future of {@code AsyncResult.toCompletableFuture()} on the real Redis
 * backend leaves no channel subscribed once it is done, cancelled or dropped, as Redis
 * counts subscribers ({@code PUBSUB NUMSUB}).
 */
class RedisAsyncResultSubscriptionTests {

	@RegisterExtension
	static final RedisFixture fixture = new RedisFixture("async-result-subscription", Duration.ofHours(1));

	private final TaskTemplate template = new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), fixture.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofKilobytes(64));

	@Test
	void resultEndsSubscription() {
		String taskId = fixture.taskId();
		CompletableFuture<String> future = this.template.result(taskId, String.class).toCompletableFuture();
		assertThat(subscribers(taskId)).isOne();
		fixture.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, "done"));
		assertThat(future).succeedsWithin(RedisFixture.WAIT).isEqualTo("done");
		await().atMost(RedisFixture.WAIT).until(() -> subscribers(taskId) == 0);
	}

	@Test
	void cancelEndsSubscription() {
		String taskId = fixture.taskId();
		CompletableFuture<Object> future = this.template.result(taskId).toCompletableFuture();
		assertThat(subscribers(taskId)).isOne();
		future.cancel(false);
		await().atMost(RedisFixture.WAIT).until(() -> subscribers(taskId) == 0);
	}

	@Test
	void droppedFutureEndsSubscriptionOnceCollected() {
		String taskId = fixture.taskId();
		subscribeAndDrop(taskId);
		assertThat(subscribers(taskId)).isOne();
		await().atMost(RedisFixture.WAIT).untilAsserted(() -> {
			System.gc();
			assertThat(subscribers(taskId)).isZero();
		});
	}

	@Test
	void heldFutureIsKept() {
		String held = fixture.taskId();
		String dropped = fixture.taskId();
		CompletableFuture<String> future = this.template.result(held, String.class).toCompletableFuture();
		subscribeAndDrop(dropped);
		await().atMost(RedisFixture.WAIT).untilAsserted(() -> {
			System.gc();
			assertThat(subscribers(dropped)).isZero();
		});
		assertThat(subscribers(held)).isOne();
		fixture.worker.store(ResultMeta.of(held, CeleryStates.SUCCESS, "kept"));
		assertThat(future).succeedsWithin(RedisFixture.WAIT).isEqualTo("kept");
	}

	private void subscribeAndDrop(String taskId) {
		this.template.result(taskId).toCompletableFuture();
	}

	private long subscribers(String taskId) {
		return fixture.numsub(TestRedis.key(taskId));
	}

}
