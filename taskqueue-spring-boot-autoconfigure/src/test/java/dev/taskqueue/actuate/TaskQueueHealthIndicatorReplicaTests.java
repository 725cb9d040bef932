package dev.taskqueue.actuate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health of a broker and result backend connected to a Redis that is a replica, as a
 * demoted master is after a failover: PING answers, but writes are refused, so the health is
 * DOWN saying why, and UP again once it is a master. The Redis is the test's own, on a port
 * of its own, made a replica of a master that does not exist.
 */
class TaskQueueHealthIndicatorReplicaTests {

	private int port;

	private Path dir;

	private LettuceConnectionFactory factory;

	@BeforeEach
	void startOwnRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.dir = Files.createTempDirectory("redis-replica");
		RedisServer.startOwn(this.port, this.dir);
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(RedisServer.HOST, this.port));
		this.factory.afterPropertiesSet();
		this.factory.start();
	}

	@AfterEach
	void stopOwnRedis() {
		this.factory.destroy();
		RedisServer.stop(this.port);
	}

	@Test
	void aReplicaIsDownAndAMasterUp() {
		String url = "redis://" + RedisServer.HOST + ":" + this.port + "/0";
		RedisBroker broker = new RedisBroker(this.factory, new JsonMessageCodec(), RedisTransportOptions.defaults(url));
		RedisResultBackend backend = new RedisResultBackend(this.factory, new JsonResultMetaCodec(),
				Duration.ofMinutes(1), url);
		try {
			TaskQueueHealthIndicator health = new TaskQueueHealthIndicator(broker, backend, null);
			Health master = health.health();
			assertThat(master.getStatus()).isEqualTo(Status.UP);
			assertThat(master.getDetails()).containsEntry("brokerServer", "master 127.0.0.1:" + this.port)
				.containsEntry("backendServer", "master 127.0.0.1:" + this.port);
			redisCli("replicaof", "127.0.0.1", "1");
			Health replica = health.health();
			assertThat(replica.getStatus()).isEqualTo(Status.DOWN);
			assertThat(replica.getDetails().get("error")).asString()
				.contains("Redis broker " + url + " is a slave (127.0.0.1:" + this.port
						+ "), not a master: it refuses writes");
			assertThat(replica.getDetails().get("backendError")).asString()
				.contains("Redis result backend " + url + " is a slave (127.0.0.1:" + this.port + "), not a master");
			redisCli("replicaof", "no", "one");
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			backend.destroy();
			broker.destroy();
		}
	}

	private void redisCli(String... command) {
		TestProcesses.Result result = RedisServer.cli(this.port, command);
		assertThat(result.exit()).as(result.output()).isZero();
	}

}
