package dev.taskqueue.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.ForwardingResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the future of {@link BackendAsyncResult#toCompletableFuture()} on the in-memory
 * backend: how it completes and when its subscription to the backend ends.
 */
class BackendAsyncResultTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final CountingBackend backend = new CountingBackend(
			new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(1)));

	private final TaskTemplate template = new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofKilobytes(64));

	@Test
	void completesWithResultOffTheBackendThreadAndEndsSubscription() throws InterruptedException {
		CompletableFuture<Long> future = this.template.result("t1", Long.class).toCompletableFuture();
		CompletableFuture<Thread> callbackThread = future.thenApply((result) -> Thread.currentThread());
		assertThat(this.backend.live("t1")).isOne();
		Thread backendThread = new Thread(() -> this.backend.store(ResultMeta.of("t1", CeleryStates.SUCCESS, 42)));
		backendThread.start();
		backendThread.join();
		assertThat(callbackThread).succeedsWithin(WAIT).isNotSameAs(backendThread);
		assertThat(future).isCompletedWithValue(42L);
		awaitNoSubscription();
	}

	@Test
	void completesAtOnceWhenAlreadyDone() {
		this.backend.store(ResultMeta.of("t1", CeleryStates.SUCCESS, 42));
		assertThat(this.template.result("t1", Long.class).toCompletableFuture()).succeedsWithin(WAIT).isEqualTo(42L);
		awaitNoSubscription();
	}

	@Test
	void failsWithTaskFailedExceptionAndEndsSubscription() {
		CompletableFuture<Object> future = this.template.result("t1").toCompletableFuture();
		this.backend.store(ResultMeta.ofException("t1", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "bad"), "tb"));
		assertThat(future).failsWithin(WAIT).withThrowableOfType(Exception.class)
			.havingRootCause()
			.isInstanceOf(TaskFailedException.class);
		awaitNoSubscription();
	}

	@Test
	void cancelEndsSubscriptionAtOnce() {
		CompletableFuture<Object> future = this.template.result("t1").toCompletableFuture();
		assertThat(this.backend.live("t1")).isOne();
		future.cancel(false);
		assertThat(this.backend.live()).isZero();
	}

	@Test
	void completingByCallerEndsSubscriptionAtOnce() {
		CompletableFuture<Object> completed = this.template.result("t1").toCompletableFuture();
		CompletableFuture<Object> failed = this.template.result("t2").toCompletableFuture();
		assertThat(this.backend.live()).isEqualTo(2);
		completed.complete("mine");
		failed.completeExceptionally(new IllegalStateException("given up"));
		assertThat(this.backend.live()).isZero();
	}

	@Test
	void timeoutEndsSubscription() {
		CompletableFuture<Object> future = this.template.result("t1").toCompletableFuture()
			.orTimeout(50, TimeUnit.MILLISECONDS);
		assertThat(future).failsWithin(WAIT).withThrowableOfType(Exception.class)
			.withCauseInstanceOf(TimeoutException.class);
		awaitNoSubscription();
	}

	@Test
	void droppedFutureEndsSubscriptionOnceCollected() {
		subscribeAndDrop("dropped");
		assertThat(this.backend.live("dropped")).isOne();
		await().atMost(WAIT).untilAsserted(() -> {
			System.gc();
			assertThat(this.backend.live()).isZero();
		});
	}

	@Test
	void heldFutureAndFutureWithCallbackAreKept() {
		CompletableFuture<Object> held = this.template.result("held").toCompletableFuture();
		List<Object> seen = new CopyOnWriteArrayList<>();
		this.template.result("callback").toCompletableFuture().thenAccept(seen::add);
		subscribeAndDrop("dropped");
		await().atMost(WAIT).untilAsserted(() -> {
			System.gc();
			assertThat(this.backend.live("dropped")).isZero();
		});
		assertThat(this.backend.live("held")).isOne();
		assertThat(this.backend.live("callback")).isOne();
		this.backend.store(ResultMeta.of("held", CeleryStates.SUCCESS, "h"));
		this.backend.store(ResultMeta.of("callback", CeleryStates.SUCCESS, "c"));
		assertThat(held).succeedsWithin(WAIT).isEqualTo("h");
		await().atMost(WAIT).until(() -> seen.equals(List.of("c")));
		awaitNoSubscription();
	}

	/** The future may complete its callbacks before the one that ends the subscription. */
	private void awaitNoSubscription() {
		await().atMost(WAIT).until(() -> this.backend.live() == 0);
	}

	private void subscribeAndDrop(String taskId) {
		this.template.result(taskId).toCompletableFuture();
	}

	/**
	 * A backend that counts the subscriptions that are not closed yet, by task id.
	 */
	private static final class CountingBackend extends ForwardingResultBackend {

		private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();

		CountingBackend(ResultBackend delegate) {
			super(delegate);
		}

		int live(String taskId) {
			AtomicInteger count = this.live.get(taskId);
			return (count != null) ? count.get() : 0;
		}

		int live() {
			return this.live.values().stream().mapToInt(AtomicInteger::get).sum();
		}

		@Override
		public ResultSubscription subscribe(String taskId, ResultListener listener) {
			ResultSubscription subscription = super.subscribe(taskId, listener);
			AtomicInteger count = this.live.computeIfAbsent(taskId, (id) -> new AtomicInteger());
			count.incrementAndGet();
			AtomicBoolean open = new AtomicBoolean(true);
			return () -> {
				if (open.compareAndSet(true, false)) {
					subscription.close();
					count.decrementAndGet();
				}
			};
		}

	}

}
