package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Writes that reach a Redis while it is a replica, as a master demoted by a failover is,
 * get {@code READONLY}: the broker's publishes (waiting and asynchronous) and the result
 * backend's stores are tried again on a new connection until Redis is a master again, and
 * land; none is dropped. The Redis is the test's own, on a port of its own, made a replica of
 * a master that does not exist. Without replicas, a write that waits for one
 * ({@code wait-for-replicas}) fails saying so.
 */
class RedisDemotedMasterTests {

	private int port;

	private LettuceConnectionFactory factory;

	private RedisBroker broker;

	private RedisResultBackend backend;

	@BeforeEach
	void startOwnRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		Path dir = Files.createTempDirectory("redis-demoted");
		RedisServer.startOwn(this.port, dir);
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(RedisServer.HOST, this.port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(20)).build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		String url = "redis://" + RedisServer.HOST + ":" + this.port + "/0";
		this.broker = new RedisBroker(this.factory, RedisTestSupport.CODEC, RedisTransportOptions.defaults(url));
		this.backend = new RedisResultBackend(this.factory, new JsonResultMetaCodec(), Duration.ofMinutes(1), url);
	}

	@AfterEach
	void stopOwnRedis() {
		this.backend.destroy();
		this.broker.destroy();
		this.factory.destroy();
		RedisServer.stop(this.port);
	}

	@Test
	void publishesRefusedByAReplicaLandOnceItIsAMasterAgain() {
		this.broker.publish(RedisTestSupport.message("demoted", "before", 0));
		redisCli("replicaof", "127.0.0.1", "1");
		CompletableFuture<Void> waiting = CompletableFuture
			.runAsync(() -> this.broker.publish(RedisTestSupport.message("demoted", "waiting", 0)));
		CompletableFuture<Void> async = this.broker.publishAsync(RedisTestSupport.message("demoted", "async", 0));
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			assertThat(waiting).isNotDone();
			assertThat(async).isNotDone();
		});
		redisCli("replicaof", "no", "one");
		waiting.join();
		async.join();
		assertThat(listLength("demoted")).isEqualTo(3);
		assertThat(this.broker.pingServer()).isEqualTo("master 127.0.0.1:" + this.port);
	}

	@Test
	void aResultStoreRefusedByAReplicaLandsOnceItIsAMasterAgain() {
		redisCli("replicaof", "127.0.0.1", "1");
		CompletableFuture<Void> store = CompletableFuture
			.runAsync(() -> this.backend.store(ResultMeta.of("demoted-task", "SUCCESS", 42)));
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(store).isNotDone());
		redisCli("replicaof", "no", "one");
		store.join();
		assertThat(this.backend.get("demoted-task").result()).isEqualTo(42);
	}

	@Test
	void aPublishThatNoReplicaConfirmedFailsSayingTheMasterHasIt() {
		String url = "redis://" + RedisServer.HOST + ":" + this.port + "/0";
		RedisBroker waiting = new RedisBroker(this.factory, RedisTestSupport.CODEC, new RedisTransportOptions(url,
				Duration.ofHours(1), "", 16, 1, Duration.ofMillis(200)));
		try {
			assertThatExceptionOfType(BrokerException.class)
				.isThrownBy(() -> waiting.publish(RedisTestSupport.message("unreplicated", "sync", 0)))
				.withMessageContaining("the message is on the master, but only 0 of the 1 replicas asked for "
						+ "(wait-for-replicas) had it within PT0.2S");
			assertThat(waiting.publishAsync(RedisTestSupport.message("unreplicated", "async", 0)))
				.failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.withMessageContaining("only 0 of the 1 replicas");
			assertThat(listLength("unreplicated")).isEqualTo(2);
		}
		finally {
			waiting.destroy();
		}
	}

	@Test
	void aResultThatNoReplicaConfirmedIsStoredAgainUntilTheTimeoutThenFails() {
		LettuceConnectionFactory quick = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServer.HOST, this.port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		quick.afterPropertiesSet();
		quick.start();
		RedisResultBackend waiting = new RedisResultBackend(quick, new JsonResultMetaCodec(), Duration.ofMinutes(1),
				"redis://" + RedisServer.HOST + ":" + this.port + "/0");
		waiting.setWaitForReplicas(1, Duration.ofMillis(200));
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(ResultBackendException.class)
				.isThrownBy(() -> waiting.store(ResultMeta.of("unreplicated-task", "SUCCESS", 1)))
				.withMessageContaining("but only 0 of the 1 replicas asked for (wait-for-replicas) had it within PT0.2S");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
		}
		finally {
			waiting.destroy();
			quick.destroy();
		}
	}

	private long listLength(String queue) {
		try (RedisConnection connection = this.factory.getConnection()) {
			Long length = connection.listCommands().lLen(queue.getBytes());
			return (length != null) ? length : 0;
		}
	}

	private void redisCli(String... command) {
		TestProcesses.Result result = RedisServer.cli(this.port, command);
		assertThat(result.exit()).as(result.output()).isZero();
	}

}
