package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis outage: the consumer logs it once, backs off, and carries on by itself when Redis
 * is back. Runs its own {@code redis-server} on a free port so that the shared one is never
 * stopped.
 */
class RedisBrokerReconnectTests {

	private int port;

	private Path dir;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(RedisConsumption.class);

	@BeforeEach
	void startRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.dir = Files.createTempDirectory("redis-reconnect");
		startServer();
		this.logs.start();
		this.logger.addAppender(this.logs);
	}

	@AfterEach
	void stopRedis() throws IOException {
		this.logger.detachAppender(this.logs);
		RedisServer.stop(this.port);
		try (var files = Files.walk(this.dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	@Test
	void consumerResumesWhenRedisIsBack() {
		List<String> received = new CopyOnWriteArrayList<>();
		RedisTestSupport redis = new RedisTestSupport(this.port, 5);
		try {
			RedisBroker broker = redis.broker();
			try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("celery"), 4), (delivery) -> {
				received.add(delivery.message().id());
				delivery.ack();
			})) {
				broker.publish(RedisTestSupport.message("celery", "before", 0));
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));

				// down for longer than the connection's command timeout (5 s), so that the consumer's
				// waiting command fails and it reports the outage; over a shorter one Lettuce may
				// send the command again after reconnecting, and the consumer just goes on
				RedisServer.stop(this.port);
				TestProcesses.sleep(6000);
				startServer();

				await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> broker.publish(RedisTestSupport.message("celery", "after", 0)));
				await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("after"));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> redis.redis.hlen(redis.key("unacked")) == 0);
			}
		}
		finally {
			try {
				redis.close();
			}
			catch (RuntimeException ex) {
				// best effort
			}
		}
		List<String> warnings = this.logs.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		assertThat(warnings).singleElement().satisfies((warning) -> assertThat(warning).contains("unavailable"));
		assertThat(this.logs.list).anySatisfy((event) -> assertThat(event.getFormattedMessage()).contains("is back"));
	}

	private void startServer() {
		RedisServer.startOwn(this.port, this.dir);
	}

}
