package dev.taskqueue.backend.rpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StreamRevokedTaskStore} against the real RabbitMQ (streams named
 * {@code revoke-<uuid>}, deleted afterwards): the stream is declared with the revokes' time to
 * live as retention, a fresh store reads the revokes kept before {@code follow} returns,
 * followers learn new ones at once, and expired or foreign entries are ignored.
 */
class StreamRevokedTaskStoreTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final String stream = "revoke-" + UUID.randomUUID();

	private final CachingConnectionFactory factory = RabbitServer.connectionFactory("revoke-test");

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		try (Channel channel = this.factory.createConnection().createChannel(false)) {
			channel.queueDelete(this.stream);
		}
		this.factory.destroy();
	}

	@Test
	void revokeAppendsToAStreamWhoseRetentionIsTheTimeToLive() throws Exception {
		StreamRevokedTaskStore store = store(Duration.ofMinutes(90));

		store.revoke(List.of("revoke-a", "revoke-b"), true);

		assertThat(store.isRevoked("revoke-a")).isTrue();
		try (Channel channel = this.factory.createConnection().createChannel(false)) {
			// declaring again with the same arguments succeeds, with others it would fail
			channel.queueDeclare(this.stream, true, false, false, Map.of("x-queue-type", "stream", "x-max-age", "5400s",
					"x-stream-max-segment-size-bytes", StreamRevokedTaskStore.SEGMENT_SIZE));
		}
		List<String> bodies = readStream();
		assertThat(bodies).hasSize(1);
		assertThat(bodies.get(0)).startsWith("{\"task_id\":[\"revoke-a\",\"revoke-b\"],\"terminate\":true,\"expires\":");
	}

	@Test
	void aFreshStoreReadsTheRevokesKeptBeforeFollowReturns() {
		store(Duration.ofHours(1)).revoke(List.of("revoke-kept"), false);
		StreamRevokedTaskStore fresh = store(Duration.ofHours(1));

		follow(fresh, new ConcurrentHashMap<>());

		assertThat(fresh.isRevoked("revoke-kept")).isTrue();
		assertThat(fresh.revoked()).containsOnlyKeys("revoke-kept");
	}

	@Test
	void followersLearnNewRevokesAtOnceWithTerminate() {
		StreamRevokedTaskStore client = store(Duration.ofHours(1));
		StreamRevokedTaskStore worker = store(Duration.ofHours(1));
		Map<String, Boolean> heard = new ConcurrentHashMap<>();
		follow(worker, heard);

		client.revoke(List.of("revoke-live"), false);
		client.revoke(List.of("revoke-terminate"), true);

		await().atMost(WAIT).until(() -> heard.size() == 2);
		assertThat(heard).containsEntry("revoke-live", false).containsEntry("revoke-terminate", true);
	}

	@Test
	void aRevokeMadeHereIsHeardOnceThoughItComesBackFromTheStream() {
		StreamRevokedTaskStore store = store(Duration.ofHours(1));
		List<String> heard = new CopyOnWriteArrayList<>();
		this.closeables.add(store.follow((id, terminate) -> heard.add(id + ":" + terminate)));

		store.revoke(List.of("revoke-once"), false);
		store(Duration.ofHours(1)).revoke(List.of("revoke-marker"), false);

		await().atMost(WAIT).until(() -> heard.contains("revoke-marker:false"));
		assertThat(heard).containsExactly("revoke-once:false", "revoke-marker:false");
	}

	@Test
	void expiredRevokesAreNotKnownAndNotLoaded() {
		StreamRevokedTaskStore shortLived = store(Duration.ofMillis(500));
		shortLived.revoke(List.of("revoke-short"), false);
		StreamRevokedTaskStore longLived = store(Duration.ofHours(1));
		longLived.revoke(List.of("revoke-long"), false);

		await().atMost(WAIT).until(() -> !shortLived.isRevoked("revoke-short"));
		StreamRevokedTaskStore fresh = store(Duration.ofHours(1));
		follow(fresh, new ConcurrentHashMap<>());

		assertThat(fresh.revoked()).containsOnlyKeys("revoke-long");
	}

	@Test
	void entriesThatAreNotRevokesAreIgnored() throws Exception {
		StreamRevokedTaskStore writer = store(Duration.ofHours(1));
		writer.revoke(List.of("revoke-before"), false);
		try (Channel channel = this.factory.createConnection().createChannel(false)) {
			channel.basicPublish("", this.stream, null, "garbage".getBytes(StandardCharsets.UTF_8));
			channel.basicPublish("", this.stream, null, "{\"task_id\": [1, 2]}".getBytes(StandardCharsets.UTF_8));
		}
		writer.revoke(List.of("revoke-after"), false);
		StreamRevokedTaskStore fresh = store(Duration.ofHours(1));

		follow(fresh, new ConcurrentHashMap<>());

		assertThat(fresh.revoked()).containsOnlyKeys("revoke-before", "revoke-after");
	}

	@Test
	void aStreamDeclaredWithAnotherRetentionIsUsedAsItIs() throws Exception {
		try (Channel channel = this.factory.createConnection().createChannel(false)) {
			channel.queueDeclare(this.stream, true, false, false, Map.of("x-queue-type", "stream", "x-max-age", "7s"));
		}
		StreamRevokedTaskStore store = store(Duration.ofHours(1));
		store.revoke(List.of("revoke-other-retention"), false);
		StreamRevokedTaskStore fresh = store(Duration.ofHours(1));

		follow(fresh, new ConcurrentHashMap<>());

		assertThat(fresh.isRevoked("revoke-other-retention")).isTrue();
	}

	/** The bodies of the revokes in the stream (not the markers of followers). */
	private List<String> readStream() throws Exception {
		List<String> bodies = new CopyOnWriteArrayList<>();
		try (Channel channel = this.factory.createConnection().createChannel(false)) {
			channel.basicQos(100);
			channel.basicConsume(this.stream, false, Map.of("x-stream-offset", "first"),
					new com.rabbitmq.client.DefaultConsumer(channel) {

						@Override
						public void handleDelivery(String tag, com.rabbitmq.client.Envelope envelope,
								AMQP.BasicProperties properties, byte[] body) {
							if (!StreamRevokedTaskStore.MARKER_TYPE.equals(properties.getType())) {
								bodies.add(new String(body, StandardCharsets.UTF_8));
							}
						}

					});
			await().atMost(WAIT).until(() -> !bodies.isEmpty());
		}
		return bodies;
	}

	private StreamRevokedTaskStore store(Duration ttl) {
		StreamRevokedTaskStore store = new StreamRevokedTaskStore(this.factory, this.stream, ttl,
				RabbitServer.MASKED_URL);
		this.closeables.add(store::destroy);
		return store;
	}

	private void follow(RevokedTaskStore store, Map<String, Boolean> heard) {
		this.closeables.add(store.follow(heard::put));
	}

}
