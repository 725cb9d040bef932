package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link RpcResultBackend} declares and consumes its reply queue as a Celery 5.2
 * client does ({@code amqp/topology/with_worker_rpc_backend}: the client's queue is listed as
 * non-durable, auto-delete, not exclusive, {@code x-expires} 86400000 as a signed int, one
 * consumer).
 */
class RpcResultBackendDeclarationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private CachingConnectionFactory connectionFactory;

	private RabbitAdmin admin;

	private RpcResultBackend backend;

	@BeforeEach
	void connect() {
		this.connectionFactory = RabbitServer.connectionFactory("taskqueue-rpc-declaration-" + UUID.randomUUID());
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.backend = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(), Duration.ofDays(1),
				"rpc://");
	}

	@AfterEach
	void disconnect() {
		this.backend.destroy();
		this.connectionFactory.destroy();
	}

	@Test
	void replyQueueIsDeclaredBeforeItsNameIsReturned() {
		String replyTo = this.backend.replyTo();
		assertThat(UUID.fromString(replyTo)).hasToString(replyTo);
		QueueInformation info = this.admin.getQueueInfo(replyTo);
		assertThat(info).isNotNull();
		assertThat(info.getMessageCount()).isZero();
		assertThat(this.backend.replyTo()).isEqualTo(replyTo);
	}

	@Test
	void replyQueueHasTheFlagsOfCelerysAndOneConsumer() {
		String replyTo = this.backend.replyTo();
		await().atMost(WAIT).until(() -> consumers(replyTo) == 1);
		assertThat(RabbitServer.listedQueue(replyTo)).containsEntry("durable", false)
			.containsEntry("auto_delete", true)
			.containsEntry("exclusive", false)
			.containsEntry("arguments", List.of(List.of("x-expires", "signedint", 86400000)))
			.containsEntry("consumers", 1);
	}

	@Test
	void expiryOfTheQueueFollowsResultExpires() {
		RpcResultBackend hourly = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(),
				Duration.ofHours(1), "rpc://");
		RpcResultBackend forever = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(),
				Duration.ZERO, "rpc://");
		try {
			assertThat(RabbitServer.listedQueue(hourly.replyTo())).containsEntry("arguments",
					List.of(List.of("x-expires", "signedint", 3600000)));
			assertThat(RabbitServer.listedQueue(forever.replyTo())).containsEntry("arguments", List.of());
		}
		finally {
			hourly.destroy();
			forever.destroy();
		}
	}

	@Test
	void destroyStopsConsumingAndTheQueueIsDeleted() {
		String replyTo = this.backend.replyTo();
		await().atMost(WAIT).until(() -> consumers(replyTo) == 1);
		this.backend.destroy();
		await().atMost(WAIT).until(() -> this.admin.getQueueInfo(replyTo) == null);
		// the connection factory is left open for its owner
		assertThat(this.admin.getQueueProperties(replyTo)).isNull();
	}

	@Test
	void replyToFailsOnceDestroyed() {
		RpcResultBackend destroyed = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(),
				Duration.ofDays(1), "rpc://");
		destroyed.destroy();
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(destroyed::replyTo)
			.withMessageContaining("closed");
	}

	private int consumers(String queue) {
		QueueInformation info = this.admin.getQueueInfo(queue);
		return (info != null) ? info.getConsumerCount() : -1;
	}

}
