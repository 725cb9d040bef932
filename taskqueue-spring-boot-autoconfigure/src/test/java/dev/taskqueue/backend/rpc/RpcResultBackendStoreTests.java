package dev.taskqueue.backend.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.GetResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of the worker side of {@link RpcResultBackend}: what it publishes to a reply queue
 * is, property by property and byte by byte, what a Celery 5.2.6 worker published for the
 * same states ({@code amqp/rpc-replies}, read here from a plain queue of the test).
 */
class RpcResultBackendStoreTests {

	private static final JsonResultMetaCodec codec = new JsonResultMetaCodec();

	private static CachingConnectionFactory connectionFactory;

	private static RpcResultBackend worker;

	private String queue;

	@BeforeAll
	static void connect() {
		connectionFactory = RabbitServer.connectionFactory("taskqueue-rpc-store-" + UUID.randomUUID());
		worker = new RpcResultBackend(connectionFactory, codec, Duration.ofDays(1), "rpc://");
	}

	@AfterAll
	static void disconnect() {
		worker.destroy();
		connectionFactory.destroy();
	}

	@BeforeEach
	void declareQueue() {
		this.queue = "taskqueue.test.rpc-reply." + UUID.randomUUID();
		new RabbitAdmin(connectionFactory).declareQueue(new Queue(this.queue, false, false, false));
	}

	@AfterEach
	void deleteQueue() {
		new RabbitAdmin(connectionFactory).deleteQueue(this.queue);
	}

	@ParameterizedTest
	@ValueSource(strings = { "01_success_add", "02_failure", "03_progress_then_success" })
	void publishesWhatCeleryPublishes(String fixture) {
		List<Map<String, Object>> captured = capturedMessages(fixture);
		for (Map<String, Object> message : captured) {
			String body = (String) message.get("body_text");
			worker.store(codec.decode(body.getBytes(StandardCharsets.UTF_8)), this.queue);
		}
		awaitMessages(captured.size());
		for (Map<String, Object> message : captured) {
			GetResponse response = basicGet();
			assertThat(response).as("reply published for %s", message.get("body_text")).isNotNull();
			assertThat(response.getEnvelope().getExchange()).isEmpty();
			assertThat(response.getEnvelope().getRoutingKey()).isEqualTo(this.queue);
			assertThat(properties(response.getProps())).isEqualTo(message.get("properties_pyamqp"));
			assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo(message.get("body_text"));
		}
		assertThat(basicGet()).isNull();
	}

	@Test
	void nothingIsSentWithoutReplyQueue() {
		ResultMeta meta = ResultMeta.of(UUID.randomUUID().toString(), CeleryStates.SUCCESS, 5);
		worker.store(meta);
		worker.store(meta, null);
		worker.store(meta, "");
		worker.store(ResultMeta.of("marker", CeleryStates.SUCCESS, 6), this.queue);
		awaitMessages(1);
		assertThat(basicGet().getProps().getCorrelationId()).isEqualTo("marker");
		assertThat(basicGet()).isNull();
	}

	@Test
	void replyToAMissingQueueIsDropped() {
		worker.store(ResultMeta.of("t1", CeleryStates.SUCCESS, 5), "taskqueue.test.no-such-queue." + UUID.randomUUID());
		worker.store(ResultMeta.of("t2", CeleryStates.SUCCESS, 6), this.queue);
		awaitMessages(1);
		GetResponse response = basicGet();
		assertThat(response.getProps().getCorrelationId()).isEqualTo("t2");
	}

	@Test
	void resultThatIsNotJsonFailsWithoutSending() {
		ResultMeta meta = ResultMeta.of("t3", CeleryStates.SUCCESS, new Object());
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> worker.store(meta, this.queue));
		worker.store(ResultMeta.of("marker", CeleryStates.SUCCESS, 6), this.queue);
		awaitMessages(1);
		assertThat(basicGet().getProps().getCorrelationId()).isEqualTo("marker");
		assertThat(basicGet()).isNull();
	}

	@Test
	void storesFromManyThreads() throws InterruptedException {
		int count = 400;
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch done = new CountDownLatch(count);
		for (int i = 0; i < count; i++) {
			int n = i;
			executor.execute(() -> {
				worker.store(ResultMeta.of("task-" + n, CeleryStates.SUCCESS, n), this.queue);
				done.countDown();
			});
		}
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		executor.shutdown();
		awaitMessages(count);
		int received = 0;
		while (basicGet() != null) {
			received++;
		}
		assertThat(received).isEqualTo(count);
	}

	/**
	 * Replies are published without confirms on another channel than the test reads from,
	 * so wait until the broker has queued them all before reading any.
	 */
	private void awaitMessages(int count) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> new RabbitTemplate(connectionFactory).execute((channel) -> channel.messageCount(this.queue)),
					(queued) -> queued == count);
	}

	/**
	 * RabbitMQ keeps the order of messages per channel only, so the states of a task stored from
	 * several threads keep their order when all replies share one channel.
	 */
	@Test
	void statesOfEachTaskArriveInOrderAndShareOneChannel() throws InterruptedException {
		CachingConnectionFactory ownFactory = RabbitServer.connectionFactory("taskqueue-rpc-order-" + UUID.randomUUID());
		AtomicInteger channelsCreated = new AtomicInteger();
		ownFactory.addChannelListener((channel, transactional) -> channelsCreated.incrementAndGet());
		RpcResultBackend ordered = new RpcResultBackend(ownFactory, codec, Duration.ofDays(1), "rpc://");
		int tasks = 8;
		int states = 50;
		ExecutorService executor = Executors.newFixedThreadPool(tasks);
		CountDownLatch done = new CountDownLatch(tasks);
		try {
			for (int t = 0; t < tasks; t++) {
				String taskId = "task-" + t;
				executor.execute(() -> {
					for (int i = 0; i < states; i++) {
						ordered.store(ResultMeta.of(taskId, "PROGRESS", i), this.queue);
					}
					done.countDown();
				});
			}
			assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(channelsCreated).hasValue(1);
		}
		finally {
			executor.shutdown();
			ordered.destroy();
			ownFactory.destroy();
		}
		awaitMessages(tasks * states);
		Map<String, Integer> last = new LinkedHashMap<>();
		for (int i = 0; i < tasks * states; i++) {
			ResultMeta meta = codec.decode(basicGet().getBody());
			int previous = last.getOrDefault(meta.taskId(), -1);
			assertThat(meta.result()).as("state after %d of %s", previous, meta.taskId()).isEqualTo(previous + 1);
			last.put(meta.taskId(), previous + 1);
		}
	}

	private GetResponse basicGet() {
		return new RabbitTemplate(connectionFactory).execute((channel) -> channel.basicGet(this.queue, true));
	}

	/** The properties that are set, named as py-amqp names them. */
	private static Map<String, Object> properties(BasicProperties properties) {
		Map<String, Object> map = new LinkedHashMap<>();
		putIfSet(map, "content_type", properties.getContentType());
		putIfSet(map, "content_encoding", properties.getContentEncoding());
		putIfSet(map, "application_headers", properties.getHeaders());
		putIfSet(map, "delivery_mode", properties.getDeliveryMode());
		putIfSet(map, "priority", properties.getPriority());
		putIfSet(map, "correlation_id", properties.getCorrelationId());
		putIfSet(map, "reply_to", properties.getReplyTo());
		putIfSet(map, "expiration", properties.getExpiration());
		putIfSet(map, "message_id", properties.getMessageId());
		putIfSet(map, "timestamp", properties.getTimestamp());
		putIfSet(map, "type", properties.getType());
		putIfSet(map, "user_id", properties.getUserId());
		putIfSet(map, "app_id", properties.getAppId());
		putIfSet(map, "cluster_id", properties.getClusterId());
		return map;
	}

	private static void putIfSet(Map<String, Object> map, String name, Object value) {
		if (value != null) {
			map.put(name, value);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> capturedMessages(String fixture) {
		String path = "/celery-fixtures/amqp/rpc-replies/" + fixture + ".json";
		try (InputStream in = RpcResultBackendStoreTests.class.getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			Map<String, Object> capture = CeleryJson.newMapper().readValue(in, Map.class);
			return (List<Map<String, Object>>) capture.get("messages");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
