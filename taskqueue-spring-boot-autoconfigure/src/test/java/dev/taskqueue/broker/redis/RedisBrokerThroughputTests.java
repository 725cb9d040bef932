package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.OutboundMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quick local measurement: publish 20k messages, then drain them as a worker running
 * no-op tasks would (decode on the consumer thread, ack from task threads), and print the
 * rates (the figures that count come from {@code bench/run.sh}). What is asserted is that
 * every message arrives, decodes and is settled.
 */
class RedisBrokerThroughputTests {

	private static final int MESSAGES = 20_000;

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void drainsThousandsOfMessagesPerSecond() throws Exception {
		RedisBroker broker = this.redis.broker();
		OutboundMessage message = RedisTestSupport.message("bench", "noop", 0);
		long publishStart = System.nanoTime();
		ExecutorService publishers = Executors.newFixedThreadPool(4);
		for (int t = 0; t < 4; t++) {
			publishers.execute(() -> {
				for (int i = 0; i < MESSAGES / 4; i++) {
					broker.publish(message);
				}
			});
		}
		publishers.shutdown();
		assertThat(publishers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		double publishRate = MESSAGES / seconds(publishStart);
		assertThat(broker.size("bench")).isEqualTo(MESSAGES);

		ExecutorService tasks = Executors.newFixedThreadPool(2);
		CountDownLatch done = new CountDownLatch(MESSAGES);
		AtomicInteger failures = new AtomicInteger();
		long consumeStart = System.nanoTime();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("bench"), 64), (delivery) -> {
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
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
				.until(() -> this.redis.redis.hlen(this.redis.key("unacked")) == 0);
			double settledRate = MESSAGES / seconds(consumeStart);
			System.out.printf("Redis broker: publish %.0f msg/s (4 threads, one round trip each); "
					+ "pop+decode+ack %.0f msg/s (prefetch 64), all acks applied at %.0f msg/s%n", publishRate,
					consumeRate, settledRate);
			assertThat(failures).hasValue(0);
		}
		finally {
			tasks.shutdownNow();
		}
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
	}

	private static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

}
