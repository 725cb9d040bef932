package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.testsupport.RabbitServer;

import static dev.taskqueue.broker.amqp.AmqpTestSupport.CODEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Publishing while RabbitMQ blocks publishers: a memory alarm, raised with
 * {@code rabbitmqctl set_vm_memory_high_watermark 0} and always cleared after the test by
 * setting the watermark back to the node's configured value. Other tests may use the node at
 * the same time (their publishes wait during the alarm), so each alarm lasts a few seconds.
 */
class AmqpBrokerBlockedTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(1);

	/** The confirm timeout and room for a busy machine: a publish that takes longer hangs. */
	private static final Duration BOUND = Duration.ofSeconds(5);

	private static final String BLOCKING = "RabbitMQ is blocking publishers (low on memory)";

	private static final String NOT_SENT = "; the message was not sent";

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	private final MemoryAlarm alarm = new MemoryAlarm();

	private final Logger logger = (Logger) LoggerFactory.getLogger(BlockedConnections.class);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@AfterEach
	void clearAlarm() {
		this.alarm.clear();
		this.logger.detachAppender(this.logs);
	}

	@Test
	void publishesFailWithinTheConfirmTimeoutWhileBlockedAndSucceedOnceUnblocked() {
		this.logs.start();
		this.logger.addAppender(this.logs);
		AmqpBroker broker = this.rabbit.broker(
				new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), true, CONFIRM_TIMEOUT));
		String queue = this.rabbit.name("blocked");
		broker.publish(AmqpTestSupport.message(queue, "before", 0));
		// large enough to fill the socket buffers, so that writes stall once RabbitMQ stops reading
		OutboundMessage large = new OutboundMessage(CODEC.encode(TaskMessageBuilder.task("tasks.echo")
			.id("large")
			.args(List.of("x".repeat(8 << 20)))
			.build()), Destination.queue(queue));
		List<BrokerException> failures;
		this.alarm.raise();
		try {
			// RabbitMQ blocks the connection at the first publish after the alarm; on a loaded
			// machine its notice can arrive after the confirm timeout of that publish, so wait
			// for it before the eight large ones, which must all fail saying why
			OutboundMessage probe = AmqpTestSupport.message(queue, "probe", 0);
			await().atMost(BOUND).until(() -> {
				BrokerException probed = failure(broker, probe);
				return probed != null && probed.getMessage().contains(BLOCKING);
			});
			failures = publishFromEightThreads(broker, large);
		}
		finally {
			this.alarm.clear();
		}
		assertThat(failures).hasSize(8).allSatisfy((failure) -> assertThat(failure).isNotNull()
			.hasMessageContaining("on RabbitMQ at " + RabbitServer.MASKED_URL)
			.hasMessageContaining(BLOCKING + " and did not unblock within PT1S")
			.hasMessageMatching(".*; the message (was not sent|may or may not have been taken)$"));
		assertThat(failures).anySatisfy((failure) -> assertThat(failure).hasMessageEndingWith(NOT_SENT));
		await().atMost(Duration.ofSeconds(30))
			.ignoreException(BrokerException.class)
			.untilAsserted(() -> broker.publish(AmqpTestSupport.message(queue, "after", 0)));
		await().atMost(BOUND).until(() -> this.logs.list.size() >= 2);
		assertThat(this.logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
		assertThat(this.logs.list).allSatisfy(
				(event) -> assertThat(event.getFormattedMessage()).contains("low on memory", RabbitServer.MASKED_URL));
	}

	@Test
	void withoutConfirmsPublishesFailWithinTheConfirmTimeoutWhileBlocked() {
		AmqpBroker broker = this.rabbit.broker(
				new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), false, CONFIRM_TIMEOUT));
		String queue = this.rabbit.name("unconfirmed");
		OutboundMessage message = AmqpTestSupport.message(queue, "task", 0);
		broker.publish(message);
		List<BrokerException> failures;
		this.alarm.raise();
		try {
			// the first message written after the alarm makes RabbitMQ block the connection
			await().atMost(BOUND).until(() -> failure(broker, message) != null);
			failures = publishFromEightThreads(broker, message);
		}
		finally {
			this.alarm.clear();
		}
		assertThat(failures).hasSize(8).allSatisfy((failure) -> assertThat(failure).isNotNull()
			.hasMessageContaining(BLOCKING + " and did not unblock within PT1S" + NOT_SENT));
		await().atMost(Duration.ofSeconds(30))
			.ignoreException(BrokerException.class)
			.untilAsserted(() -> broker.publish(message));
	}

	/** Publish a message from eight threads at once; what each got, once all are done. */
	private static List<BrokerException> publishFromEightThreads(AmqpBroker broker, OutboundMessage message) {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<BrokerException>> failures = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				failures.add(CompletableFuture.supplyAsync(() -> failure(broker, message), threads));
			}
			await().atMost(BOUND).until(() -> failures.stream().allMatch(CompletableFuture::isDone));
			return failures.stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static BrokerException failure(AmqpBroker broker, OutboundMessage message) {
		try {
			broker.publish(message);
			return null;
		}
		catch (BrokerException ex) {
			return ex;
		}
	}

	@Test
	void consumersGoOnAcknowledgingWhilePublishersAreBlocked() throws Exception {
		AmqpBroker broker = this.rabbit.broker(
				new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), true, CONFIRM_TIMEOUT));
		String queue = this.rabbit.name("consumed");
		for (int i = 0; i < 10; i++) {
			broker.publish(AmqpTestSupport.message(queue, "task-" + i, 0));
		}
		CountDownLatch blocked = new CountDownLatch(1);
		AtomicInteger acknowledged = new AtomicInteger();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 1), (delivery) -> {
			try {
				blocked.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			delivery.ack();
			acknowledged.incrementAndGet();
		})) {
			this.alarm.raise();
			try {
				// blocks the connection it is written on
				assertThatExceptionOfType(BrokerException.class)
					.isThrownBy(() -> broker.publish(AmqpTestSupport.message(queue, "during", 0)));
				blocked.countDown();
				// with a prefetch of 1, each delivery after the first waits for RabbitMQ to read an ack
				await().atMost(BOUND).until(() -> acknowledged.get() >= 10);
			}
			finally {
				this.alarm.clear();
			}
		}
	}

}
