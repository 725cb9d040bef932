package dev.taskqueue.beat.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AmqpBeatStore} against the real RabbitMQ (queues prefixed
 * {@code beat-runs-<uuid>-}).
 */
class AmqpBeatStoreTests {

	private final String prefix = "beat-runs-" + UUID.randomUUID() + "-";

	private final CachingConnectionFactory factory = RabbitServer.connectionFactory("beat-store-tests");

	@AfterEach
	void cleanUp() {
		RabbitServer.deleteQueues(this.prefix + "every-minute", this.prefix + "nightly", this.prefix + "hourly");
		this.factory.destroy();
	}

	@Test
	void eachEntryKeepsOnlyItsLastTickWhichANewStoreReadsAndLeavesInPlace() throws Exception {
		AmqpBeatStore store = new AmqpBeatStore(this.factory, this.prefix);
		assertThat(store.lastRun("every-minute")).isNull();

		store.saveLastRun("every-minute", Instant.parse("2026-12-05T16:00:00Z"));
		store.saveLastRun("every-minute", Instant.parse("2026-12-05T16:01:00.123456Z"));
		store.saveLastRun("nightly", Instant.parse("2026-12-05T00:00:00Z"));

		AmqpBeatStore fresh = new AmqpBeatStore(this.factory, this.prefix);
		assertThat(fresh.lastRun("every-minute")).isEqualTo(Instant.parse("2026-12-05T16:01:00.123456Z"));
		assertThat(fresh.lastRun("every-minute")).isEqualTo(Instant.parse("2026-12-05T16:01:00.123456Z"));
		assertThat(fresh.lastRun("nightly")).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
		assertThat(fresh.lastRun("hourly")).isNull();
		assertThat(messages(this.prefix + "every-minute")).isEqualTo(1);
		assertThat(RabbitServer.unacknowledged(this.prefix + "every-minute")).isZero();
	}

	@Test
	void theQueueIsDurableAndKeepsOnlyOnePersistentMessage() throws Exception {
		new AmqpBeatStore(this.factory, this.prefix).saveLastRun("nightly", Instant.parse("2026-12-05T00:00:00Z"));

		Map<String, Object> listed = RabbitServer.listedQueue(this.prefix + "nightly");
		assertThat(listed).isNotNull();
		assertThat(listed).containsEntry("durable", true).containsEntry("exclusive", false);
		assertThat(String.valueOf(listed.get("arguments"))).contains("x-max-length").contains("drop-head");
		try (Connection connection = RabbitServer.rawConnection("beat-store-tests-check");
				Channel channel = connection.createChannel()) {
			GetResponse response = channel.basicGet(this.prefix + "nightly", false);
			assertThat(response).isNotNull();
			assertThat(response.getProps().getDeliveryMode()).isEqualTo(2);
			assertThat(new String(response.getBody(), StandardCharsets.UTF_8))
				.isEqualTo("2026-12-05T00:00:00.000000+00:00");
			channel.basicReject(response.getEnvelope().getDeliveryTag(), true);
		}
	}

	@Test
	void aTickSavedWhileAnotherReaderHoldsTheOldOneWinsOnceTheOldOneIsRequeued() throws Exception {
		AmqpBeatStore store = new AmqpBeatStore(this.factory, this.prefix);
		store.saveLastRun("hourly", Instant.parse("2026-12-05T15:00:00Z"));
		try (Connection connection = RabbitServer.rawConnection("beat-store-tests-check");
				Channel channel = connection.createChannel()) {
			GetResponse held = channel.basicGet(this.prefix + "hourly", false);
			assertThat(held).isNotNull();

			store.saveLastRun("hourly", Instant.parse("2026-12-05T16:00:00Z"));
			channel.basicReject(held.getEnvelope().getDeliveryTag(), true);
		}

		assertThat(new AmqpBeatStore(this.factory, this.prefix).lastRun("hourly"))
			.isEqualTo(Instant.parse("2026-12-05T16:00:00Z"));
		assertThat(messages(this.prefix + "hourly")).isEqualTo(1);
	}

	private static long messages(String queue) throws IOException, TimeoutException {
		try (Connection connection = RabbitServer.rawConnection("beat-store-tests-check");
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

}
