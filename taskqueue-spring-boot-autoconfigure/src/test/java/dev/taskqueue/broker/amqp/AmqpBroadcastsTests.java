package dev.taskqueue.broker.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The broadcast transport of {@link AmqpBroker} on the real RabbitMQ: what Java publishes on
 * fanout, topic and direct exchanges reaches Java subscriptions with kombu's properties, and
 * a subscription outlives malformed messages, failing listeners and a lost connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class AmqpBroadcastsTests {

	private static final Map<String, Object> PIDBOX_ARGUMENTS = Map.of("x-expires", 10_000L, "x-message-ttl",
			300_000L);

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("amqpbc-");

	@Test
	void fanoutRequestReachesMailboxWithKombuProperties() throws Exception {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("ctl.pidbox"), ExchangeType.FANOUT, false);
		BroadcastQueue queue = new BroadcastQueue(this.rabbit.name("node@host." + exchange.name()), "",
				PIDBOX_ARGUMENTS);
		Recorder recorder = new Recorder();
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription subscription = broker.subscribe(exchange, queue, recorder)) {
			String spy = this.rabbit.name("spy");
			Channel channel = this.rabbit.channel();
			channel.queueDeclare(spy, false, false, true, Map.of());
			channel.queueBind(spy, exchange.name(), "");
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put("clock", 1L);
			headers.put("expires", 1795281265.724213);
			headers.put("ticket", "t-1");
			headers.put("nested", Map.of("list", List.of("a", 2)));
			headers.put("none", null);
			broker.publish(exchange, "", message(headers, "{\"method\": \"ping\"}", true));

			Received received = recorder.expect(1).get(0);
			assertThat(received.routingKey()).isEmpty();
			BroadcastMessage message = received.message();
			assertThat(message.contentType()).isEqualTo("application/json");
			assertThat(message.contentEncoding()).isEqualTo("utf-8");
			assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("{\"method\": \"ping\"}");
			assertThat(message.persistent()).isTrue();
			assertThat(message.headers()).containsEntry("clock", 1).containsEntry("expires", 1795281265.724213)
				.containsEntry("ticket", "t-1").containsEntry("nested", Map.of("list", List.of("a", 2)))
				.containsEntry("none", null);

			GetResponse raw = channel.basicGet(spy, true);
			BasicProperties properties = raw.getProps();
			assertThat(properties.getDeliveryMode()).isEqualTo(2);
			assertThat(properties.getPriority()).isZero();
			assertThat(properties.getHeaders().get("clock")).isInstanceOf(Integer.class);
			assertThat(properties.getCorrelationId()).isNull();
			assertThat(properties.getReplyTo()).isNull();
			assertThat(raw.getEnvelope().getExchange()).isEqualTo(exchange.name());
			// kombu's declarations of the same entities are accepted: same flags and argument types
			channel.exchangeDeclare(exchange.name(), "fanout", false, false, Map.of());
			assertThat(channel.queueDeclare(queue.name(), false, false, true,
					Map.of("x-expires", 10_000, "x-message-ttl", 300_000)).getConsumerCount()).isEqualTo(1);
		}
	}

	@Test
	void topicEventsReachTheSubscriptionsWhoseKeysMatch() {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("ev"), ExchangeType.TOPIC, true);
		Map<String, Object> arguments = Map.of("x-message-ttl", 5000, "x-expires", 60_000);
		Recorder all = new Recorder();
		Recorder workers = new Recorder();
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription everything = broker.subscribe(exchange,
				new BroadcastQueue(this.rabbit.name("ev.all"), "#", arguments), all);
				Subscription worker = broker.subscribe(exchange,
						new BroadcastQueue(this.rabbit.name("ev.workers"), "worker.*", arguments), workers)) {
			for (int i = 0; i < 5; i++) {
				broker.publish(exchange, "task.succeeded", message(Map.of("hostname", "n@h"), "{\"i\": " + i + "}",
						false));
			}
			broker.publish(exchange, "worker.heartbeat", message(Map.of("hostname", "n@h"), "{}", false));

			List<Received> received = all.expect(6);
			assertThat(received).extracting(Received::routingKey)
				.containsExactly("task.succeeded", "task.succeeded", "task.succeeded", "task.succeeded",
						"task.succeeded", "worker.heartbeat");
			assertThat(received.subList(0, 5)).extracting((r) -> new String(r.message().body(), StandardCharsets.UTF_8))
				.containsExactly("{\"i\": 0}", "{\"i\": 1}", "{\"i\": 2}", "{\"i\": 3}", "{\"i\": 4}");
			assertThat(received.get(5).message().persistent()).isFalse();
			assertThat(received.get(5).message().headers()).containsExactly(Map.entry("hostname", "n@h"));
			assertThat(workers.expect(1)).extracting(Received::routingKey).containsExactly("worker.heartbeat");
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(workers.received).hasSize(1));
		}
	}

	@Test
	void directRepliesReachTheBoundQueueAndAreDroppedWithoutOne() {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("reply.pidbox"), ExchangeType.DIRECT,
				false);
		AmqpBroker broker = this.rabbit.broker();
		broker.publish(exchange, "nobody", message(Map.of("ticket", "t"), "{}", false));
		Recorder recorder = new Recorder();
		try (Subscription subscription = broker.subscribe(exchange,
				new BroadcastQueue(this.rabbit.name("oid.reply.pidbox"), "oid", PIDBOX_ARGUMENTS), recorder)) {
			broker.publish(exchange, "someone-else", message(Map.of("ticket", "t"), "{\"other\": 1}", false));
			broker.publish(exchange, "oid", message(Map.of("ticket", "t", "clock", 3), "{\"n@h\": {\"ok\": \"pong\"}}",
					false));
			Received received = recorder.expect(1).get(0);
			assertThat(received.routingKey()).isEqualTo("oid");
			assertThat(received.message().headers()).containsEntry("ticket", "t").containsEntry("clock", 3);
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(recorder.received).hasSize(1));
		}
	}

	@Test
	void secondNodeOnTheSameMailboxIsWarnedAbout(CapturedOutput output) {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("twice.pidbox"), ExchangeType.FANOUT,
				false);
		BroadcastQueue queue = new BroadcastQueue("twin@" + exchange.name() + "." + exchange.name(), "",
				PIDBOX_ARGUMENTS);
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription first = broker.subscribe(exchange, queue, new Recorder())) {
			assertThat(output.getAll()).doesNotContain("is already using this process mailbox");
			try (Subscription second = broker.subscribe(exchange, queue, new Recorder())) {
				assertThat(output.getAll()).contains("A node named twin@" + exchange.name()
						+ " is already using this process mailbox");
			}
			assertThat(this.rabbit.admin.getQueueInfo(queue.name())).isNotNull()
				.satisfies((info) -> assertThat(info.getConsumerCount()).isEqualTo(1));
		}
		assertThat(this.rabbit.admin.getQueueInfo(queue.name())).isNull();
	}

	@Test
	void closeCancelsTheConsumerAndDeletesTheQueue() {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("close"), ExchangeType.FANOUT, false);
		BroadcastQueue queue = new BroadcastQueue(this.rabbit.name("close.q"), "", PIDBOX_ARGUMENTS);
		Recorder recorder = new Recorder();
		AmqpBroker broker = this.rabbit.broker();
		Subscription subscription = broker.subscribe(exchange, queue, recorder);
		assertThat(this.rabbit.admin.getQueueInfo(queue.name())).isNotNull()
			.satisfies((info) -> assertThat(info.getConsumerCount()).isEqualTo(1));
		subscription.close();
		subscription.close();
		assertThat(this.rabbit.admin.getQueueInfo(queue.name())).isNull();
		broker.publish(exchange, "", message(Map.of(), "{}", false));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(recorder.received).isEmpty());
	}

	@Test
	void malformedMessagesAndFailingListenersDoNotStopTheSubscription() throws Exception {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("malformed"), ExchangeType.FANOUT, false);
		Recorder recorder = new Recorder();
		BroadcastListener listener = (routingKey, message) -> {
			String body = new String(message.body(), StandardCharsets.UTF_8);
			if (body.equals("throw")) {
				throw new IllegalStateException("listener failure");
			}
			if (body.equals("error")) {
				throw new StackOverflowError("listener error");
			}
			recorder.onMessage(routingKey, message);
		};
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription subscription = broker.subscribe(exchange,
				new BroadcastQueue(this.rabbit.name("malformed.q"), "", Map.of()), listener)) {
			Channel channel = this.rabbit.channel();
			channel.basicPublish(exchange.name(), "", null, "bare".getBytes(StandardCharsets.UTF_8));
			channel.basicPublish(exchange.name(), "", null, new byte[AmqpBroadcastMessages.MAX_BODY_BYTES + 1]);
			Map<String, Object> deep = Map.of("leaf", 1);
			for (int i = 0; i < AmqpBroadcastMessages.MAX_HEADER_DEPTH + 5; i++) {
				deep = Map.of("level", deep);
			}
			channel.basicPublish(exchange.name(), "",
					new BasicProperties.Builder().contentType("application/json").headers(deep).build(),
					"deep".getBytes(StandardCharsets.UTF_8));
			channel.basicPublish(exchange.name(), "",
					new BasicProperties.Builder().headers(Map.of("when", new java.util.Date(1_700_000_000_000L),
							"bytes", "b".getBytes(StandardCharsets.UTF_8))).build(),
					"typed".getBytes(StandardCharsets.UTF_8));
			broker.publish(exchange, "", message(Map.of(), "throw", false));
			broker.publish(exchange, "", message(Map.of(), "error", false));
			broker.publish(exchange, "", message(Map.of("ok", true), "good", false));

			List<Received> received = recorder.expect(3);
			assertThat(received).extracting((r) -> new String(r.message().body(), StandardCharsets.UTF_8))
				.containsExactly("bare", "typed", "good");
			BroadcastMessage bare = received.get(0).message();
			assertThat(bare.contentType()).isEqualTo("application/data");
			assertThat(bare.contentEncoding()).isEqualTo("utf-8");
			assertThat(bare.headers()).isEmpty();
			assertThat(bare.persistent()).isFalse();
			assertThat(received.get(1).message().headers()).containsEntry("when", 1_700_000_000L)
				.containsEntry("bytes", "b");
			assertThat(received.get(2).message().headers()).containsEntry("ok", true);
		}
	}

	@Test
	void subscriptionRecoversAfterTheConnectionIsLost() {
		String connectionName = "amqpbc-recovery-" + UUID.randomUUID();
		CachingConnectionFactory factory = RabbitServer.connectionFactory(connectionName);
		AmqpBroker broker = new AmqpBroker(factory, AmqpTestSupport.CODEC,
				AmqpTransportOptions.defaults(RabbitServer.MASKED_URL));
		try {
			BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("recover"), ExchangeType.TOPIC, true);
			Recorder recorder = new Recorder();
			try (Subscription subscription = broker.subscribe(exchange,
					new BroadcastQueue(this.rabbit.name("recover.q"), "#", Map.of("x-message-ttl", 5000)), recorder)) {
				broker.publish(exchange, "before", message(Map.of(), "{}", false));
				recorder.expect(1);
				await().atMost(Duration.ofSeconds(30)).until(() -> RabbitServer.closeConnections(connectionName) > 0);
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
					try {
						broker.publish(exchange, "after", message(Map.of(), "{}", false));
					}
					catch (BrokerException ex) {
						// the publishing connection is being replaced
					}
					return recorder.received.stream().anyMatch((r) -> r.routingKey().equals("after"));
				});
				assertThat(this.rabbit.admin.getQueueInfo(this.rabbit.prefix + "recover.q")).isNotNull();
			}
		}
		finally {
			broker.destroy();
			factory.destroy();
		}
	}

	@Test
	void subscriptionRecoversWhenItsQueueIsDeleted() throws Exception {
		BroadcastExchange exchange = new BroadcastExchange(this.rabbit.name("deleted"), ExchangeType.FANOUT, false);
		BroadcastQueue queue = new BroadcastQueue(this.rabbit.name("deleted.q"), "", PIDBOX_ARGUMENTS);
		Recorder recorder = new Recorder();
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription subscription = broker.subscribe(exchange, queue, recorder)) {
			this.rabbit.channel().queueDelete(queue.name());
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
				broker.publish(exchange, "", message(Map.of(), "{}", false));
				return !recorder.received.isEmpty();
			});
			assertThat(this.rabbit.admin.getQueueInfo(queue.name())).isNotNull()
				.satisfies((info) -> assertThat(info.getConsumerCount()).isEqualTo(1));
		}
	}

	@Test
	void refusedDeclarationFailsTheCall() {
		BroadcastExchange fanout = new BroadcastExchange(this.rabbit.name("refused"), ExchangeType.FANOUT, false);
		AmqpBroker broker = this.rabbit.broker();
		broker.publish(fanout, "", message(Map.of(), "{}", false));
		BroadcastExchange topic = new BroadcastExchange(fanout.name(), ExchangeType.TOPIC, true);
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> broker.publish(topic, "x", message(Map.of(), "{}", false)))
			.withMessageContaining("PRECONDITION_FAILED");
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> broker.subscribe(topic, new BroadcastQueue(this.rabbit.name("refused.q"), "#", Map.of()),
					new Recorder()))
			.withMessageContaining("PRECONDITION_FAILED");
		broker.publish(fanout, "", message(Map.of(), "{}", false));
	}

	static BroadcastMessage message(Map<String, ?> headers, String body, boolean persistent) {
		return new BroadcastMessage(new LinkedHashMap<>(headers), "application/json", "utf-8",
				body.getBytes(StandardCharsets.UTF_8), persistent);
	}

	record Received(String routingKey, BroadcastMessage message) {

		@Override
		public String toString() {
			return this.routingKey + " " + this.message.headers() + " "
					+ new String(this.message.body(), StandardCharsets.UTF_8);
		}

	}

	/** Records what a subscription received. */
	static final class Recorder implements BroadcastListener {

		final List<Received> received = new CopyOnWriteArrayList<>();

		@Override
		public void onMessage(String routingKey, BroadcastMessage message) {
			this.received.add(new Received(routingKey, message));
		}

		List<Received> expect(int count) {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.received.size() >= count);
			return new ArrayList<>(this.received);
		}

		@Override
		public String toString() {
			return Arrays.toString(this.received.toArray());
		}

	}

}
