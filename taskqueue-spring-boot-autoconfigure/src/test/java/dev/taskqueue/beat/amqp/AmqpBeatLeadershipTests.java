package dev.taskqueue.beat.amqp;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AmqpBeatLeadership} against the real RabbitMQ (queues named
 * {@code beat-leader-<uuid>}), with two contenders on one queue.
 */
class AmqpBeatLeadershipTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final String queue = "beat-leader-" + UUID.randomUUID();

	private final CachingConnectionFactory factory = RabbitServer.connectionFactory("beat-leadership-tests");

	private final AmqpBeatLeadership a = new AmqpBeatLeadership(this.factory, this.queue);

	private final AmqpBeatLeadership b = new AmqpBeatLeadership(this.factory, this.queue);

	@AfterEach
	void cleanUp() {
		this.a.release();
		this.b.release();
		RabbitServer.deleteQueues(this.queue);
		this.factory.destroy();
	}

	@Test
	void exactlyOneOfTwoContendersLeadsByHoldingTheExclusiveQueue() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		Map<String, Object> listed = RabbitServer.listedQueue(this.queue);
		assertThat(listed).isNotNull();
		assertThat(listed).containsEntry("exclusive", true).containsEntry("durable", false);
		assertThat(this.a.describe()).isEqualTo("rabbitmq exclusive queue " + this.queue);
	}

	@Test
	void theLeaderKeepsLeadingAndTheFollowerKeepsFollowing() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		await().during(Duration.ofMillis(2500))
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.a.tryLead() && !this.b.tryLead());
	}

	@Test
	void afterTheLeaderReleasesTheOtherLeadsAndTheQueueIsItsOwn() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		this.a.release();

		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(this.b::tryLead);
		assertThat(this.b.tryLead()).isTrue();
		assertThat(this.a.tryLead()).isFalse();
	}

	@Test
	void whenTheLeadersConnectionDiesTheOtherLeadsAndTheOldLeaderStops() {
		assertThat(this.a.tryLead()).isTrue();
		assertThat(this.b.tryLead()).isFalse();

		assertThat(RabbitServer.closeConnections(this.a.connectionName())).isEqualTo(1);

		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(this.b::tryLead);
		assertThat(this.a.tryLead()).isFalse();
		assertThat(this.b.tryLead()).isTrue();
	}

	@Test
	void whenRabbitMqCannotBeReachedNoOneLeads() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		CachingConnectionFactory unreachable = new CachingConnectionFactory(RabbitServer.HOST, port);
		try {
			assertThat(new AmqpBeatLeadership(unreachable, this.queue).tryLead()).isFalse();
		}
		finally {
			unreachable.destroy();
		}
	}

}
