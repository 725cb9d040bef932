package dev.taskqueue.worker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.redis.RedisTokenBuckets;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis outage under a cluster-wide rate limit: the waiting tasks stay held (not lost, not
 * run), the worker asks Redis again with a backoff instead of spinning and logs the outage,
 * and the tasks run once Redis is back. Runs its own {@code redis-server} on a free port so
 * that the shared one is never stopped.
 */
class RateLimitRedisOutageTests {

	private int port;

	private Path dir;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(WaitingLine.class);

	@BeforeEach
	void startRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.dir = Files.createTempDirectory("rate-outage");
		RedisServer.startOwn(this.port, this.dir);
		this.logs.start();
		this.logger.addAppender(this.logs);
	}

	@AfterEach
	void stopRedis() throws IOException {
		this.logger.detachAppender(this.logs);
		if (RedisServer.ping(this.port)) {
			RedisServer.stop(this.port);
		}
		try (var files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	@Test
	void waitingTasksStayHeldWhileRedisIsDownAndRunWhenItIsBack() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServer.HOST, this.port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		CountingBuckets buckets = new CountingBuckets(
				new RedisTokenBuckets(connectionFactory, "rate-outage:", "redis://127.0.0.1:" + this.port + "/0"));
		InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());
		InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(5));
		TaskRegistry registry = new TaskRegistry();
		RateLimitedTasks.ClusterLimited tasks = new RateLimitedTasks.ClusterLimited();
		new CeleryTaskAnnotationBeanPostProcessor(registry).postProcessAfterInitialization(tasks, "tasks");
		WorkerState state = new WorkerState();
		WorkerContainer worker = new WorkerContainer(broker, backend, registry, state,
				new WorkerSettings("celery@rate-outage", List.of("rate-outage"), 2, 1, Duration.ofSeconds(5), false),
				CeleryJson.newMapper(), null);
		worker.setSharedTokenBuckets(buckets);
		TaskTemplate template = new TaskTemplate(broker, backend, DefaultTaskRouter.withDefaultQueue("rate-outage"),
				new JsonMessageCodec(), CeleryJson.newMapper(), DataSize.ofMegabytes(8));
		worker.start();
		try {
			template.send("rate.shared");
			await().atMost(Duration.ofSeconds(10)).until(() -> tasks.starts.size() == 1);

			RedisServer.stop(this.port);
			int callsBefore = buckets.calls.get();
			for (int i = 0; i < 3; i++) {
				template.send("rate.shared");
			}
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> tasks.starts.size() == 1);
			assertThat(state.reservedCount()).as("tasks held").isEqualTo(3);
			// a backoff from 100 ms up: a handful of attempts in 3 s, not a spin
			assertThat(buckets.calls.get() - callsBefore).as("attempts while Redis was down").isBetween(1, 15);

			RedisServer.startOwn(this.port, this.dir);
			await().atMost(Duration.ofSeconds(60)).until(() -> tasks.starts.size() == 4);
		}
		finally {
			worker.stop();
			connectionFactory.destroy();
		}
		assertThat(this.logs.list).anySatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("No rate limit token for task rate.shared")
				.contains("3 task(s) stay held");
		});
		assertThat(this.logs.list).anySatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains("Rate limit tokens of task rate.shared come from redis://127.0.0.1:" + this.port + "/0 again"));
	}

	/** Counts the calls to the buckets it forwards to. */
	static final class CountingBuckets implements SharedTokenBuckets {

		final AtomicInteger calls = new AtomicInteger();

		private final SharedTokenBuckets delegate;

		CountingBuckets(SharedTokenBuckets delegate) {
			this.delegate = delegate;
		}

		@Override
		public Duration take(String bucket, double tokensPerSecond, int capacity) {
			this.calls.incrementAndGet();
			return this.delegate.take(bucket, tokensPerSecond, capacity);
		}

		@Override
		public String url() {
			return this.delegate.url();
		}

	}

}
