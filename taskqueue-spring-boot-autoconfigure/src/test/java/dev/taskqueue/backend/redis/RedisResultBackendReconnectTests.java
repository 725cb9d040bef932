package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.redis.RedisFixture.Watch;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that subscriptions of {@link RedisResultBackend} survive losing the connection:
 * Lettuce subscribes again, and the results stored while it was away are read again.
 */
class RedisResultBackendReconnectTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final String clientName = "taskqueue-results-reconnect-" + UUID.randomUUID();

	private RedisFixture redis;

	@BeforeEach
	void connect() {
		this.redis = RedisFixture.reconnecting(this.clientName, "taskqueue-results-reconnect-worker",
				Duration.ofSeconds(2));
	}

	@AfterEach
	void disconnect() {
		RedisServer.ensureRunning();
		this.redis.deleteKeys();
		this.redis.close();
	}

	@Test
	void readyStateStoredWhileDisconnectedIsReadAfterTheSubscriptionResumes() {
		try (Watch done = this.redis.watch(); Watch running = this.redis.watch()) {
			long killed = this.redis.redis().clientKill(KillArgs.Builder.id(pubSubClientId()));
			assertThat(killed).isOne();
			await().atMost(WAIT).until(() -> this.redis.numsub(TestRedis.key(done.taskId())) == 0);
			// Lettuce waits 2 s before reconnecting: nobody receives these publishes
			this.redis.worker.store(ResultMeta.of(done.taskId(), CeleryStates.SUCCESS, "while away"));
			this.redis.worker.store(ResultMeta.of(running.taskId(), "PROGRESS", Map.of("p", 1)));
			assertThat(this.redis.numsub(TestRedis.key(done.taskId()))).isZero();
			await().atMost(WAIT).until(() -> !done.seen().isEmpty());
			assertThat(done.seen()).singleElement().satisfies((meta) -> {
				assertThat(meta.status()).isEqualTo(CeleryStates.SUCCESS);
				assertThat(meta.result()).isEqualTo("while away");
			});
			// catching up delivers ready states only; live publishes flow again
			assertThat(this.redis.numsub(TestRedis.key(running.taskId()))).isOne();
			this.redis.worker.store(ResultMeta.of(running.taskId(), CeleryStates.SUCCESS, "live"));
			await().atMost(WAIT).until(() -> !running.seen().isEmpty());
			assertThat(running.seen()).singleElement()
				.satisfies((meta) -> assertThat(meta.result()).isEqualTo("live"));
		}
	}

	@Test
	void subscriptionSurvivesARedisRestart() {
		try (Watch early = this.redis.watch(); Watch late = this.redis.watch()) {
			try {
				RedisServer.stop();
			}
			finally {
				RedisServer.start();
			}
			// stored by a new worker at once, most likely before the subscription resumed
			LettuceConnectionFactory freshFactory = TestRedis.connectionFactory("taskqueue-results-restart-worker",
					this.redis.resources);
			try {
				RedisResultBackend fresh = RedisFixture.backend(freshFactory, Duration.ofHours(1));
				fresh.store(ResultMeta.of(early.taskId(), CeleryStates.SUCCESS, "early"));
			}
			finally {
				freshFactory.destroy();
			}
			await().atMost(WAIT).until(() -> this.redis.numsub(TestRedis.key(late.taskId())) == 1);
			// stored by the worker of before the restart: its connection and script cache are new
			this.redis.worker.store(ResultMeta.of(late.taskId(), CeleryStates.SUCCESS, "late"));
			await().atMost(WAIT).until(() -> !early.seen().isEmpty() && !late.seen().isEmpty());
			// a ready state may arrive twice (published, then read again after the re-subscribe)
			assertThat(early.seen()).allSatisfy((meta) -> assertThat(meta.result()).isEqualTo("early"));
			assertThat(late.seen()).allSatisfy((meta) -> assertThat(meta.result()).isEqualTo("late"));
		}
	}

	private long pubSubClientId() {
		for (String line : this.redis.redis().clientList().split("\n")) {
			if (line.contains(" name=" + this.clientName + " ") && !line.contains(" sub=0 ")) {
				String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
				return Long.parseLong(id);
			}
		}
		throw new IllegalStateException("No pub/sub connection named " + this.clientName);
	}

}
