package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the reply consumer of {@link RpcResultBackend} survives the broker closing its
 * connection: RabbitMQ deletes the auto-delete reply queue with its consumer, and the
 * consumer comes back on a new connection with the queue declared again under the same
 * name. Only the connections of this test are closed (the broker is shared).
 */
class RpcResultBackendReconnectTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final String clientName = "taskqueue-rpc-reconnect-client-" + UUID.randomUUID();

	private final String workerName = "taskqueue-rpc-reconnect-worker-" + UUID.randomUUID();

	private CachingConnectionFactory workerConnections;

	private CachingConnectionFactory clientConnections;

	private RpcResultBackend worker;

	private RpcResultBackend client;

	private RabbitAdmin admin;

	private final AtomicInteger clientConnectionsOpened = new AtomicInteger();

	@BeforeEach
	void connect() {
		this.workerConnections = RabbitServer.connectionFactory(this.workerName);
		this.clientConnections = RabbitServer.connectionFactory(this.clientName);
		this.clientConnections.addConnectionListener(new ConnectionListener() {

			@Override
			public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
				RpcResultBackendReconnectTests.this.clientConnectionsOpened.incrementAndGet();
			}

		});
		JsonResultMetaCodec codec = new JsonResultMetaCodec();
		this.worker = new RpcResultBackend(this.workerConnections, codec, Duration.ofDays(1), "rpc://");
		this.client = new RpcResultBackend(this.clientConnections, codec, Duration.ofDays(1), "rpc://");
		this.admin = new RabbitAdmin(this.workerConnections);
	}

	@AfterEach
	void disconnect() {
		this.client.destroy();
		this.worker.destroy();
		this.clientConnections.destroy();
		this.workerConnections.destroy();
	}

	@Test
	void consumerResumesOnTheRedeclaredQueueAfterTheConnectionIsClosed() throws Exception {
		String replyTo = this.client.replyTo();
		String before = UUID.randomUUID().toString();
		this.worker.store(ResultMeta.of(before, CeleryStates.SUCCESS, "before"), replyTo);
		await().atMost(WAIT).until(() -> this.client.get(before).isReady());
		assertThat(consumers(replyTo)).isOne();
		assertThat(this.clientConnectionsOpened).hasValue(1);

		assertThat(RabbitServer.closeConnections(this.clientName)).isOne();

		await().atMost(WAIT).until(() -> this.clientConnectionsOpened.get() == 2 && consumers(replyTo) == 1);
		assertThat(RabbitServer.listedQueue(replyTo)).containsEntry("durable", false)
			.containsEntry("auto_delete", true)
			.containsEntry("arguments", List.of(List.of("x-expires", "signedint", 86400000)));
		String after = UUID.randomUUID().toString();
		CompletableFuture<ResultMeta> ready = new CompletableFuture<>();
		try (ResultSubscription subscription = this.client.subscribe(after, ready::complete)) {
			this.worker.store(ResultMeta.of(after, CeleryStates.SUCCESS, "after"), replyTo);
			assertThat(ready.get(WAIT.toSeconds(), TimeUnit.SECONDS).result()).isEqualTo("after");
		}
		assertThat(this.client.get(before).result()).isEqualTo("before");
		assertThat(this.client.replyTo()).isEqualTo(replyTo);
	}

	@Test
	void workerPublishesAgainAfterItsConnectionIsClosed() {
		String replyTo = this.client.replyTo();
		String first = UUID.randomUUID().toString();
		this.worker.store(ResultMeta.of(first, CeleryStates.SUCCESS, 1), replyTo);
		await().atMost(WAIT).until(() -> this.client.get(first).isReady());

		// replies go out on the publisher connection, which Spring AMQP names after the factory's
		assertThat(RabbitServer.closeConnections(this.workerName + ".publisher")).isOne();

		String second = UUID.randomUUID().toString();
		await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
			this.worker.store(ResultMeta.of(second, CeleryStates.SUCCESS, 2), replyTo);
			assertThat(this.client.get(second).status()).isEqualTo(CeleryStates.SUCCESS);
		});
	}

	@Test
	void replyQueueIsDeclaredOnceTheBrokerCanBeReached() {
		CachingConnectionFactory unreachable = RabbitServer.connectionFactory(this.clientName + "-late");
		unreachable.setPort(1);
		RpcResultBackend late = new RpcResultBackend(unreachable, new JsonResultMetaCodec(), Duration.ofDays(1),
				"rpc://");
		try {
			String replyTo = late.replyTo();
			assertThat(consumers(replyTo)).isEqualTo(-1);
			unreachable.setPort(RabbitServer.PORT);
			await().atMost(WAIT).until(() -> consumers(replyTo) == 1);
			String taskId = UUID.randomUUID().toString();
			this.worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, "late"), replyTo);
			await().atMost(WAIT).until(() -> late.get(taskId).isReady());
		}
		finally {
			late.destroy();
			unreachable.destroy();
		}
	}

	private int consumers(String queue) {
		QueueInformation info = this.admin.getQueueInfo(queue);
		return (info != null) ? info.getConsumerCount() : -1;
	}

}
