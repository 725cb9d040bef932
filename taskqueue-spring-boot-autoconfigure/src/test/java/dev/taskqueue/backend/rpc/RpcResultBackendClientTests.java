package dev.taskqueue.backend.rpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the client side of {@link RpcResultBackend}: a "worker" backend (on a connection
 * of its own, as another process) stores to the reply queue of a "client" backend, which
 * keeps the latest state per task and tells its subscribers.
 */
class RpcResultBackendClientTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String PROGRESS = "PROGRESS";

	private static CachingConnectionFactory workerConnections;

	private static CachingConnectionFactory clientConnections;

	private static RpcResultBackend worker;

	private static RpcResultBackend client;

	private static String replyTo;

	@BeforeAll
	static void connect() {
		workerConnections = RabbitServer.connectionFactory("taskqueue-rpc-client-tests-worker-" + UUID.randomUUID());
		clientConnections = RabbitServer.connectionFactory("taskqueue-rpc-client-tests-client-" + UUID.randomUUID());
		JsonResultMetaCodec codec = new JsonResultMetaCodec();
		worker = new RpcResultBackend(workerConnections, codec, Duration.ofDays(1), "rpc://");
		client = new RpcResultBackend(clientConnections, codec, Duration.ofDays(1), "rpc://");
		replyTo = client.replyTo();
	}

	@AfterAll
	static void disconnect() {
		client.destroy();
		worker.destroy();
		clientConnections.destroy();
		workerConnections.destroy();
	}

	@Test
	void getReturnsPendingThenProgressThenSuccess() {
		String taskId = UUID.randomUUID().toString();
		assertThat(client.get(taskId)).isEqualTo(ResultMeta.pending(taskId));
		worker.store(ResultMeta.of(taskId, PROGRESS, Map.of("current", 3, "total", 10)), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).status().equals(PROGRESS));
		ResultMeta progress = client.get(taskId);
		assertThat(progress.taskId()).isEqualTo(taskId);
		assertThat(progress.result()).isEqualTo(Map.of("current", 3, "total", 10));
		assertThat(progress.dateDone()).isNull();
		worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, List.of(5, "five")), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		ResultMeta success = client.get(taskId);
		assertThat(success.status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(success.result()).isEqualTo(List.of(5, "five"));
		assertThat(success.traceback()).isNull();
		assertThat(success.children()).isEmpty();
		// the rpc body carries no date_done (Celery 5.2 to 5.6)
		assertThat(success.dateDone()).isNull();
	}

	@Test
	void failureIsReadWithItsException() {
		String taskId = UUID.randomUUID().toString();
		worker.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
				new ExceptionInfo("ValueError", List.of("boom", 42), "builtins"), "Traceback: java"), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		ResultMeta failure = client.get(taskId);
		assertThat(failure.status()).isEqualTo(CeleryStates.FAILURE);
		assertThat(failure.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("boom", 42), "builtins"));
		assertThat(failure.traceback()).isEqualTo("Traceback: java");
	}

	@Test
	void subscriberSeesEveryStateInOrder() throws Exception {
		String taskId = UUID.randomUUID().toString();
		List<ResultMeta> seen = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = client.subscribe(taskId, (meta) -> {
			seen.add(meta);
			threads.add(Thread.currentThread().getName());
		})) {
			worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, Map.of("pid", 1, "hostname", "w@h")), replyTo);
			for (int i = 1; i <= 20; i++) {
				worker.store(ResultMeta.of(taskId, PROGRESS, Map.of("current", i)), replyTo);
			}
			worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 42), replyTo);
			await().atMost(WAIT).until(() -> seen.size() == 22);
		}
		assertThat(seen).extracting(ResultMeta::status).first().isEqualTo(CeleryStates.STARTED);
		for (int i = 1; i <= 20; i++) {
			assertThat(seen.get(i).result()).isEqualTo(Map.of("current", i));
		}
		assertThat(seen.get(21).status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(threads).containsOnly("taskqueue-rpc-results");
	}

	@Test
	void readyStateReceivedBeforeSubscribingIsReadWithGet() throws Exception {
		// what BackendAsyncResult does: subscribe first, then get
		String taskId = UUID.randomUUID().toString();
		worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, "early"), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		CompletableFuture<ResultMeta> ready = new CompletableFuture<>();
		try (ResultSubscription subscription = client.subscribe(taskId, ready::complete)) {
			ResultMeta current = client.get(taskId);
			if (current.isReady()) {
				ready.complete(current);
			}
			assertThat(ready.get(1, TimeUnit.SECONDS).result()).isEqualTo("early");
		}
	}

	@Test
	void statesOfTasksNobodyWaitsForAreBuffered() throws Exception {
		String waited = UUID.randomUUID().toString();
		String other = UUID.randomUUID().toString();
		CompletableFuture<ResultMeta> ready = new CompletableFuture<>();
		try (ResultSubscription subscription = client.subscribe(waited, ready::complete)) {
			worker.store(ResultMeta.of(other, CeleryStates.SUCCESS, "other"), replyTo);
			worker.store(ResultMeta.of(waited, CeleryStates.SUCCESS, "waited"), replyTo);
			assertThat(ready.get(30, TimeUnit.SECONDS).result()).isEqualTo("waited");
		}
		assertThat(client.get(other).status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(client.get(other).result()).isEqualTo("other");
	}

	@Test
	void forgetDropsTheState() {
		String taskId = UUID.randomUUID().toString();
		worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		client.forget(taskId);
		assertThat(client.get(taskId).status()).isEqualTo(CeleryStates.PENDING);
	}

	@Test
	void successIsNotReplacedByALateState() {
		String taskId = UUID.randomUUID().toString();
		String marker = UUID.randomUUID().toString();
		worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1), replyTo);
		worker.store(ResultMeta.of(taskId, CeleryStates.STARTED, null), replyTo);
		worker.store(ResultMeta.of(marker, CeleryStates.SUCCESS, 1), replyTo);
		await().atMost(WAIT).until(() -> client.get(marker).isReady());
		assertThat(client.get(taskId).status()).isEqualTo(CeleryStates.SUCCESS);
	}

	@Test
	void statesOnlyReachTheClientWhoseQueueWasNamed() {
		RpcResultBackend otherClient = new RpcResultBackend(clientConnections, new JsonResultMetaCodec(),
				Duration.ofDays(1), "rpc://");
		try {
			assertThat(otherClient.replyTo()).isNotEqualTo(replyTo);
			String taskId = UUID.randomUUID().toString();
			worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, 1), replyTo);
			await().atMost(WAIT).until(() -> client.get(taskId).isReady());
			assertThat(otherClient.get(taskId).status()).isEqualTo(CeleryStates.PENDING);
		}
		finally {
			otherClient.destroy();
		}
	}

	@Test
	void withoutCorrelationIdTheTaskIdOfTheBodyIsUsed() {
		String taskId = UUID.randomUUID().toString();
		send(("{\"task_id\": \"" + taskId + "\", \"status\": \"SUCCESS\", \"result\": 7, \"traceback\": null, "
				+ "\"children\": []}"), null);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		assertThat(client.get(taskId).result()).isEqualTo(7);
	}

	@Test
	void messagesThatAreNotTaskMetasAreSkipped() {
		String taskId = UUID.randomUUID().toString();
		send("not json", taskId);
		send("{\"status\": \"SUCCESS\"}", taskId);
		worker.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, "after"), replyTo);
		await().atMost(WAIT).until(() -> client.get(taskId).isReady());
		assertThat(client.get(taskId).result()).isEqualTo("after");
	}

	private static void send(String body, String correlationId) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		if (correlationId != null) {
			properties.setCorrelationId(correlationId);
		}
		new RabbitTemplate(workerConnections).send("", replyTo,
				new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

}
