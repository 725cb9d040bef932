package dev.taskqueue.metrics;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the queue-length gauges of {@link WorkerMetrics} on a real Redis broker.
 */
class RedisQueueLengthTests {

	private static final int DB = 11;

	private static final JsonMessageCodec CODEC = new JsonMessageCodec();

	private final String prefix = "metrics-" + UUID.randomUUID() + ":";

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final LettuceConnectionFactory factory;

	RedisQueueLengthTests() {
		RedisServer.ensureRunning();
		this.factory = factory(RedisServer.PORT);
	}

	@AfterEach
	void cleanUp() {
		StringRedisTemplate redis = new StringRedisTemplate(this.factory);
		Set<String> keys = redis.keys(this.prefix + "*");
		if (keys != null && !keys.isEmpty()) {
			redis.delete(keys);
		}
		this.factory.destroy();
	}

	@Test
	void queueLengthCountsEveryPriorityListOfTheQueue() {
		RedisBroker broker = new RedisBroker(this.factory, CODEC, new RedisTransportOptions(
				RedisServer.url(DB), RedisTransportOptions.DEFAULT_VISIBILITY_TIMEOUT, this.prefix));
		for (int priority : List.of(0, 0, 9)) {
			broker.publish(new OutboundMessage(CODEC.encode(TaskMessageBuilder.task("tasks.add").priority(priority)
				.build()), Destination.queue("metrics-redis")));
		}
		try (WorkerMetrics metrics = new WorkerMetrics(new WorkerState(), 4,
				() -> List.of("metrics-redis", "metrics-redis-empty"), broker)) {
			metrics.bindTo(this.registry);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(queueLength("metrics-redis")).isEqualTo(3);
				assertThat(queueLength("metrics-redis-empty")).isZero();
			});
		}
	}

	@Test
	void queueLengthIsNaNWhenRedisCannotBeReached() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory unreachable = factory(port);
		try {
			RedisBroker broker = new RedisBroker(unreachable, CODEC, new RedisTransportOptions(
					"redis://" + RedisServer.HOST + ":" + port, RedisTransportOptions.DEFAULT_VISIBILITY_TIMEOUT,
					this.prefix));
			new WorkerMetrics(new WorkerState(), 4, () -> List.of("metrics-redis"), broker, Duration.ofSeconds(2),
					System::nanoTime, Runnable::run)
				.bindTo(this.registry);

			assertThat(queueLength("metrics-redis")).isNaN();
			assertThat(this.registry.get("taskqueue.worker.tasks.active").gauge().value()).isZero();
		}
		finally {
			unreachable.destroy();
		}
	}

	private LettuceConnectionFactory factory(int port) {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(RedisServer.HOST, port);
		server.setDatabase(DB);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private double queueLength(String queue) {
		return this.registry.get("taskqueue.queue.length").tag("queue", queue).gauge().value();
	}

}
