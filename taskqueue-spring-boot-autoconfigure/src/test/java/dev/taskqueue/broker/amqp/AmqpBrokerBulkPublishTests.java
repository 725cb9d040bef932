package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AmqpBroker#publishAsync}: many messages waiting for their confirm at once, never more
 * than the in-flight window, and each future failed only when its own message was not
 * confirmed, whether RabbitMQ refused it or restarted.
 */
class AmqpBrokerBulkPublishTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@Test
	void aFullWindowMakesTheSenderWaitUntilAMessageIsConfirmed() throws Exception {
		AmqpBroker broker = this.rabbit.broker(
				new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), true, Duration.ofSeconds(20), 4));
		String queue = this.rabbit.name("window");
		broker.publish(AmqpTestSupport.message(queue, "declared", 0));
		List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
		AtomicBoolean fifthReturned = new AtomicBoolean();
		Thread sender = new Thread(() -> {
			sent.add(broker.publishAsync(AmqpTestSupport.message(queue, "task-4", 0)));
			fifthReturned.set(true);
		});
		MemoryAlarm alarm = new MemoryAlarm();
		alarm.raise();
		try {
			// RabbitMQ reads no more publishes on the blocked connection, so none is confirmed
			for (int i = 0; i < 4; i++) {
				sent.add(broker.publishAsync(AmqpTestSupport.message(queue, "task-" + i, 0)));
			}
			sender.start();
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !fifthReturned.get());
			assertThat(sent).hasSize(4).noneMatch(CompletableFuture::isDone);
		}
		finally {
			alarm.clear();
		}
		sender.join(Duration.ofSeconds(20).toMillis());
		assertThat(fifthReturned).isTrue();
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
		assertThat(queuedIds(queue)).containsExactly("declared", "task-0", "task-1", "task-2", "task-3", "task-4");
	}

	@Test
	void aNackFailsTheRefusedMessagesOnly() throws Exception {
		QueueSpec bounded = new QueueSpec(this.rabbit.name("bounded"), "", ExchangeType.DIRECT,
				this.rabbit.name("bounded"), true, null, Map.of("x-max-length", 10, "x-overflow", "reject-publish"));
		AmqpBroker broker = this.rabbit.broker();
		Map<String, CompletableFuture<Void>> sent = new LinkedHashMap<>();
		for (int i = 0; i < 30; i++) {
			sent.put("task-" + i, broker.publishAsync(AmqpTestSupport.message(bounded, "task-" + i, 0)));
		}
		Map<String, Throwable> failures = outcomes(sent);
		Set<String> confirmed = new HashSet<>(sent.keySet());
		confirmed.removeAll(failures.keySet());
		assertThat(confirmed).hasSize(10);
		assertThat(failures).hasSize(20)
			.allSatisfy((id, failure) -> assertThat(failure).isInstanceOf(BrokerException.class)
				.hasMessageContaining("RabbitMQ refused the message (basic.nack)"));
		assertThat(queuedIds(bounded.name())).containsExactlyInAnyOrderElementsOf(confirmed);
	}

	@Test
	void aBrokerRestartFailsUnconfirmedMessagesAndLosesNoConfirmedOne() throws Exception {
		AmqpBroker broker = this.rabbit.broker(
				new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), true, Duration.ofSeconds(5), 64));
		String queue = this.rabbit.name("restart");
		broker.publish(AmqpTestSupport.message(queue, "declared", 0));
		Map<String, CompletableFuture<Void>> sent = new ConcurrentHashMap<>();
		AtomicInteger count = new AtomicInteger();
		AtomicBoolean sending = new AtomicBoolean(true);
		Thread sender = new Thread(() -> {
			while (sending.get()) {
				String id = "task-" + count.get();
				sent.put(id, broker.publishAsync(AmqpTestSupport.message(queue, id, 0)));
				if (count.incrementAndGet() % 100 == 0) {
					// paced, so that it does not spin through failing publishes while RabbitMQ is down
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
			}
		});
		sender.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> sent.values().stream().filter(CompletableFuture::isDone).count() >= 500);
			RabbitServer.stopApp();
			RabbitServer.startApp();
			String afterRestart = "task-" + (count.get() + 100);
			await().atMost(Duration.ofSeconds(30)).until(() -> isConfirmed(sent.get(afterRestart)));
		}
		finally {
			sending.set(false);
			sender.join(Duration.ofSeconds(30).toMillis());
			RabbitServer.startApp();
		}
		Map<String, Throwable> failures = outcomes(sent);
		Set<String> queued = new HashSet<>(queuedIds(queue));
		Set<String> confirmed = new HashSet<>(sent.keySet());
		confirmed.removeAll(failures.keySet());
		assertThat(failures).isNotEmpty();
		assertThat(queued).containsAll(confirmed);
		assertThat(failures).allSatisfy((id, failure) -> {
			assertThat(failure).isInstanceOf(BrokerException.class).hasMessageContaining("on RabbitMQ at");
			if (failure.getMessage().endsWith("the message was not sent")) {
				assertThat(queued).doesNotContain(id);
			}
		});
	}

	private static boolean isConfirmed(CompletableFuture<Void> future) {
		return future != null && future.isDone() && !future.isCompletedExceptionally();
	}

	/** Wait for every future; the failure of each that failed, by id. */
	private static Map<String, Throwable> outcomes(Map<String, CompletableFuture<Void>> sent) {
		await().atMost(Duration.ofSeconds(30)).until(() -> sent.values().stream().allMatch(CompletableFuture::isDone));
		Map<String, Throwable> failures = new LinkedHashMap<>();
		sent.forEach((id, future) -> {
			try {
				future.join();
			}
			catch (CompletionException ex) {
				failures.put(id, ex.getCause());
			}
		});
		return failures;
	}

	private List<String> queuedIds(String queue) throws IOException {
		// the factory connects again after a restart, which the inspecting connection may not have yet
		Channel channel = this.rabbit.factory.createConnection().createChannel(false);
		List<String> ids = new ArrayList<>();
		for (GetResponse response = channel.basicGet(queue, true); response != null; response = channel
			.basicGet(queue, true)) {
			ids.add(String.valueOf(response.getProps().getHeaders().get("id")));
		}
		RabbitUtils.closeChannel(channel);
		return ids;
	}

}
