package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A quick local measurement, printed rather than asserted (the figures that count come from
 * {@code bench/run.sh}); what is asserted is that every message arrives, decodes and is settled:
 * publish 20k messages with publisher confirms from several threads, then drain them as a
 * worker running no-op tasks would (decode on the consumer thread, ack from task threads).
 */
class AmqpBrokerThroughputTests {

	private static final int MESSAGES = Integer.getInteger("taskqueue.test.amqp.messages", 20_000);

	private static final int PUBLISHERS = Integer.getInteger("taskqueue.test.amqp.publishers", 8);

	private static final int PREFETCH = Integer.getInteger("taskqueue.test.amqp.prefetch", 64);

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private Level level;

	@BeforeEach
	void quietLogging() {
		// Spring AMQP logs every received message at DEBUG, the default level of tests
		this.level = this.root.getLevel();
		this.root.setLevel(Level.INFO);
	}

	@AfterEach
	void restoreLogging() {
		this.root.setLevel(this.level);
	}

	@Test
	void publishesAndDrainsThousandsOfMessagesPerSecond() throws Exception {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("bench");
		OutboundMessage message = AmqpTestSupport.message(queue, "noop", 0);
		broker.publish(message);
		double publishRate = publish(broker, message, MESSAGES - 1, PUBLISHERS);
		assertThat(broker.size(queue)).isEqualTo(MESSAGES);

		ExecutorService tasks = Executors.newFixedThreadPool(2);
		CountDownLatch done = new CountDownLatch(MESSAGES);
		AtomicInteger failures = new AtomicInteger();
		long consumeStart = System.nanoTime();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), PREFETCH), (delivery) -> {
			if (!"noop".equals(delivery.message().id())) {
				failures.incrementAndGet();
			}
			tasks.execute(() -> {
				delivery.ack();
				done.countDown();
			});
		})) {
			assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
			double consumeRate = MESSAGES / seconds(consumeStart);
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.size(queue) == 0);
			System.out.printf("AMQP broker (%s container): publish with confirms %.0f msg/s (%d threads, %d channels); "
					+ "consume+decode+ack %.0f msg/s (prefetch %d, acks from 2 threads)%n",
					"simple", publishRate, PUBLISHERS,
					4, consumeRate, PREFETCH);
			assertThat(failures).hasValue(0);
		}
		finally {
			tasks.shutdownNow();
		}
	}

	@Test
	void publishesWithoutConfirms() throws Exception {
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), false,
				Duration.ofSeconds(10)));
		String queue = this.rabbit.name("bench-unconfirmed");
		OutboundMessage message = AmqpTestSupport.message(queue, "noop", 0);
		broker.publish(message);
		double rate = publish(broker, message, MESSAGES - 1, PUBLISHERS);
		await().atMost(Duration.ofSeconds(30)).until(() -> broker.size(queue) == MESSAGES);
		System.out.printf("AMQP broker: publish without confirms %.0f msg/s (%d threads)%n", rate, PUBLISHERS);
	}

	private static double publish(AmqpBroker broker, OutboundMessage message, int count, int threads)
			throws InterruptedException {
		long start = System.nanoTime();
		ExecutorService publishers = Executors.newFixedThreadPool(threads);
		AtomicInteger remaining = new AtomicInteger(count);
		for (int t = 0; t < threads; t++) {
			publishers.execute(() -> {
				while (remaining.getAndDecrement() > 0) {
					broker.publish(message);
				}
			});
		}
		publishers.shutdown();
		assertThat(publishers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
		return count / seconds(start);
	}

	private static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

}
