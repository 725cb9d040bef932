package dev.taskqueue.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisRevokedTaskStore} against the real Redis (database 8, keys named
 * {@code revoke-<uuid>}): revokes are kept scored by their expiry, a fresh store loads them,
 * followers learn new ones at once, expired ones are dropped, and a follower whose pub/sub
 * connection was lost catches up.
 */
class RedisRevokedTaskStoreTests {

	private static final int DATABASE = 8;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final String key = "revoke-" + UUID.randomUUID();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final RedisClient client = client();

	private final StatefulRedisConnection<String, String> connection = this.client.connect();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		redis().del(this.key);
		this.connection.close();
		this.client.shutdown();
	}

	@Test
	void revokeKeepsEachIdScoredByItsExpiryAndTheKeyExpiresWithItsLastEntry() {
		RedisRevokedTaskStore store = store(Duration.ofHours(3));
		long before = System.currentTimeMillis();

		store.revoke(List.of("revoke-a", "revoke-b"), false);

		List<ScoredValue<String>> entries = redis().zrangeWithScores(this.key, 0, -1);
		assertThat(entries).extracting(ScoredValue::getValue).containsExactlyInAnyOrder("revoke-a", "revoke-b");
		long expected = before + Duration.ofHours(3).toMillis();
		assertThat(entries).allSatisfy((entry) -> assertThat(entry.getScore()).isCloseTo(expected, within(5_000d)));
		assertThat(redis().pttl(this.key)).isCloseTo(Duration.ofHours(3).toMillis(), within(5_000L));
		assertThat(store.isRevoked("revoke-a")).isTrue();
		assertThat(store.isRevoked("revoke-c")).isFalse();
	}

	@Test
	void aFreshStoreLoadsTheRevokesKeptBeforeFollowReturns() {
		store(Duration.ofHours(1)).revoke(List.of("revoke-kept"), false);
		RedisRevokedTaskStore fresh = store(Duration.ofHours(1));
		assertThat(fresh.isRevoked("revoke-kept")).isFalse();

		follow(fresh, new ConcurrentHashMap<>());

		assertThat(fresh.isRevoked("revoke-kept")).isTrue();
		assertThat(fresh.revoked()).containsOnlyKeys("revoke-kept");
	}

	@Test
	void followersLearnNewRevokesAtOnceWithTerminate() {
		RedisRevokedTaskStore client = store(Duration.ofHours(1));
		RedisRevokedTaskStore worker = store(Duration.ofHours(1));
		Map<String, Boolean> heard = new ConcurrentHashMap<>();
		follow(worker, heard);

		client.revoke(List.of("revoke-live"), false);
		client.revoke(List.of("revoke-terminate"), true);

		await().atMost(WAIT).until(() -> heard.size() == 2);
		assertThat(heard).containsEntry("revoke-live", false).containsEntry("revoke-terminate", true);
		assertThat(worker.isRevoked("revoke-live")).isTrue();
	}

	@Test
	void aRevokeMadeHereIsHeardOnceThoughItComesBackOnTheChannel() {
		RedisRevokedTaskStore store = store(Duration.ofHours(1));
		List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.closeables.add(store.follow((id, terminate) -> heard.add(id + ":" + terminate)));
		RedisRevokedTaskStore other = store(Duration.ofHours(1));

		store.revoke(List.of("revoke-once"), false);
		store.revoke(List.of("revoke-once"), true);
		other.revoke(List.of("revoke-marker"), false);

		await().atMost(WAIT).until(() -> heard.contains("revoke-marker:false"));
		assertThat(heard).containsExactly("revoke-once:false", "revoke-once:true", "revoke-marker:false");
	}

	@Test
	void expiredRevokesAreNeitherKnownNorLoadedAndAreDroppedFromTheSet() {
		RedisRevokedTaskStore shortLived = store(Duration.ofMillis(500));
		shortLived.revoke(List.of("revoke-short"), false);
		assertThat(shortLived.isRevoked("revoke-short")).isTrue();

		await().atMost(WAIT).until(() -> !shortLived.isRevoked("revoke-short"));
		RedisRevokedTaskStore fresh = store(Duration.ofMillis(500));
		follow(fresh, new ConcurrentHashMap<>());
		assertThat(fresh.isRevoked("revoke-short")).isFalse();

		store(Duration.ofHours(1)).revoke(List.of("revoke-long"), false);
		assertThat(redis().zrange(this.key, 0, -1)).containsExactly("revoke-long");
	}

	@Test
	void messagesOnTheChannelThatAreNotRevokesAreIgnored() {
		RedisRevokedTaskStore worker = store(Duration.ofHours(1));
		Map<String, Boolean> heard = new ConcurrentHashMap<>();
		follow(worker, heard);

		redis().publish(this.key, "{\"task_id\": \"not-a-list\"}");
		redis().publish(this.key, "garbage");
		store(Duration.ofHours(1)).revoke(List.of("revoke-after-garbage"), false);

		await().atMost(WAIT).until(() -> heard.containsKey("revoke-after-garbage"));
		assertThat(heard).containsOnlyKeys("revoke-after-garbage");
	}

	@Test
	void aFollowerWhosePubSubConnectionWasLostCatchesUpOnTheRevokesMadeMeanwhile() {
		ClientResources slowReconnect = DefaultClientResources.builder()
			.reconnectDelay(Delay.constant(Duration.ofSeconds(2)))
			.build();
		this.closeables.add(slowReconnect::shutdown);
		String clientName = "revoke-follower-" + UUID.randomUUID().toString().substring(0, 8);
		LettuceConnectionFactory factory = RedisServer.connectionFactory(DATABASE, clientName, slowReconnect);
		this.closeables.add(factory::destroy);
		RedisRevokedTaskStore worker = new RedisRevokedTaskStore(factory, this.key, Duration.ofHours(1),
				RedisServer.url(DATABASE));
		this.closeables.add(worker::destroy);
		follow(worker, new ConcurrentHashMap<>());

		long killed = killPubSubConnections(clientName);
		store(Duration.ofHours(1)).revoke(List.of("revoke-meanwhile"), false);

		assertThat(killed).isEqualTo(1);
		await().atMost(WAIT).until(() -> worker.isRevoked("revoke-meanwhile"));
	}

	private long killPubSubConnections(String clientName) {
		long killed = 0;
		for (String line : redis().clientList().split("\n")) {
			if (line.contains(" name=" + clientName + " ") && line.contains("sub=1")) {
				String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
				killed += redis().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
			}
		}
		return killed;
	}

	private RedisRevokedTaskStore store(Duration ttl) {
		LettuceConnectionFactory factory = RedisServer.connectionFactory(DATABASE, "revoke-test", null);
		this.closeables.add(factory::destroy);
		RedisRevokedTaskStore store = new RedisRevokedTaskStore(factory, this.key, ttl, RedisServer.url(DATABASE));
		this.closeables.add(store::destroy);
		return store;
	}

	private void follow(RevokedTaskStore store, Map<String, Boolean> heard) {
		this.closeables.add(store.follow(heard::put));
	}

	private RedisCommands<String, String> redis() {
		return this.connection.sync();
	}

	private static RedisClient client() {
		RedisServer.ensureRunning();
		return RedisClient.create(RedisURI.create(RedisServer.url(DATABASE)));
	}

}
