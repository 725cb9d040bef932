package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;

import static dev.taskqueue.broker.amqp.AmqpTestSupport.CODEC;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.list;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Publishing to the real RabbitMQ, read back with {@code basic.get} on a plain Java client
 * channel: the properties and the AMQP field types of the headers are those of the Celery
 * 5.2.6 capture {@code amqp/task-messages/01_delay_add_2_3}, the declarations are those of
 * kombu, and publisher confirms turn refusals into exceptions.
 */
class AmqpBrokerPublishTests {

	/** The capture, from the shared fixtures when present. */
	private static final Path CAPTURE = Path.of(System.getProperty("taskqueue.celery-fixtures",
			"/work/shared/celery-fixtures"), "amqp/task-messages/01_delay_add_2_3.json");

	/** {@code content_header_typed.properties.headers} of the capture, should the file be missing. */
	private static final String CAPTURED_HEADERS = """
			{"lang": {"type": "S", "value": "py"}, "task": {"type": "S", "value": "labapp.add"},
			 "id": {"type": "S", "value": "ca1f258f-373b-4d58-be11-9de1e3b0ed00"},
			 "shadow": {"type": "V", "value": null}, "eta": {"type": "V", "value": null},
			 "expires": {"type": "V", "value": null}, "group": {"type": "V", "value": null},
			 "group_index": {"type": "V", "value": null}, "retries": {"type": "I", "value": 0},
			 "timelimit": {"type": "A", "value": [{"type": "V", "value": null}, {"type": "V", "value": null}]},
			 "root_id": {"type": "S", "value": "ca1f258f-373b-4d58-be11-9de1e3b0ed00"},
			 "parent_id": {"type": "V", "value": null}, "argsrepr": {"type": "S", "value": "(2, 3)"},
			 "kwargsrepr": {"type": "S", "value": "{}"}, "origin": {"type": "S", "value": "gen20832@vm"},
			 "ignore_result": {"type": "t", "value": false}}
			""";

	private static final String TASK_ID = "ca1f258f-373b-4d58-be11-9de1e3b0ed00";

	private static final String REPLY_TO = "555ff8d2-ece8-3f0b-a66f-1d15ade6ae57";

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@Test
	void propertiesAndHeaderTypesAreThoseOfCelery() throws IOException {
		String queue = this.rabbit.name("celery");
		TaskMessage task = TaskMessageBuilder.task("labapp.add").id(TASK_ID).args(List.of(2, 3)).replyTo(REPLY_TO)
			.origin("gen20832@vm").build();
		this.rabbit.broker().publish(new OutboundMessage(CODEC.encode(task), Destination.queue(queue)));
		GetResponse got = this.rabbit.channel.basicGet(queue, true);
		assertThat(got).isNotNull();
		assertThat(got.getEnvelope().getExchange()).isEmpty();
		assertThat(got.getEnvelope().getRoutingKey()).isEqualTo(queue);
		Map<String, Object> captured = captured();
		Map<String, Object> properties = map(captured.get("properties"));
		BasicProperties received = got.getProps();
		assertThat(received.getContentType()).isEqualTo(properties.get("content_type"));
		assertThat(received.getContentEncoding()).isEqualTo(properties.get("content_encoding"));
		assertThat(received.getDeliveryMode()).isEqualTo(properties.get("delivery_mode"));
		assertThat(received.getPriority()).isEqualTo(properties.get("priority"));
		assertThat(received.getCorrelationId()).isEqualTo(properties.get("correlation_id"));
		assertThat(received.getReplyTo()).isEqualTo(properties.get("reply_to"));
		assertThat(received.getExpiration()).isNull();
		assertThat(received.getMessageId()).isNull();
		assertThat(received.getTimestamp()).isNull();
		Map<String, Object> headers = received.getHeaders();
		map(properties.get("headers")).forEach((name, typed) -> {
			assertThat(headers).as(name).containsKey(name);
			assertTyped(name, headers.get(name), map(typed));
		});
		assertThat(headers.get("retries")).isInstanceOf(Integer.class);
		assertThat(headers.get("eta")).isNull();
		assertThat(headers.get("timelimit")).isEqualTo(java.util.Arrays.asList(null, null));
		assertThat(headers.get("task")).isInstanceOf(LongString.class);
		assertThat(new String(got.getBody(), java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
	}

	private static void assertTyped(String name, Object value, Map<String, Object> typed) {
		String type = (String) typed.get("type");
		assertThat(tag(value)).as("AMQP type of header '%s'", name).isEqualTo(type);
		switch (type) {
			case "A" -> {
				List<Object> expected = list(typed.get("value"));
				List<?> actual = (List<?>) value;
				assertThat(actual).as(name).hasSameSizeAs(expected);
				for (int i = 0; i < expected.size(); i++) {
					assertTyped(name + "[" + i + "]", actual.get(i), map(expected.get(i)));
				}
			}
			case "S" -> assertThat(value.toString()).as(name).isEqualTo(typed.get("value"));
			case "V" -> assertThat(value).as(name).isNull();
			default -> assertThat(value).as(name).isEqualTo(typed.get("value"));
		}
	}

	/** The AMQP field type the Java client read a value from. */
	private static String tag(Object value) {
		if (value == null) {
			return "V";
		}
		if (value instanceof LongString) {
			return "S";
		}
		if (value instanceof Integer) {
			return "I";
		}
		if (value instanceof Long) {
			return "l";
		}
		if (value instanceof Boolean) {
			return "t";
		}
		if (value instanceof Double) {
			return "d";
		}
		if (value instanceof List) {
			return "A";
		}
		if (value instanceof Map) {
			return "F";
		}
		return value.getClass().getName();
	}

	private static Map<String, Object> captured() throws IOException {
		if (Files.exists(CAPTURE)) {
			Map<String, Object> fixture = map(
					AmqpTestSupport.MAPPER.readValue(Files.readString(CAPTURE), Object.class));
			Map<String, Object> message = map(list(fixture.get("messages")).get(0));
			return map(message.get("content_header_typed"));
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("content_type", "application/json");
		properties.put("content_encoding", "utf-8");
		properties.put("headers", AmqpTestSupport.MAPPER.readValue(CAPTURED_HEADERS, Object.class));
		properties.put("delivery_mode", 2);
		properties.put("priority", 0);
		properties.put("correlation_id", TASK_ID);
		properties.put("reply_to", REPLY_TO);
		return Map.of("properties", properties);
	}

	@Test
	void expiringMessageCarriesExpirationInMilliseconds() throws IOException {
		String queue = this.rabbit.name("expiring");
		TaskMessage task = TaskMessageBuilder.task("tasks.add").id("expiring").args(List.of(1))
			.expires(Instant.now().plusSeconds(60)).priority(3).build();
		this.rabbit.broker().publish(new OutboundMessage(CODEC.encode(task), Destination.queue(queue)));
		GetResponse got = this.rabbit.channel.basicGet(queue, true);
		assertThat(Long.parseLong(got.getProps().getExpiration())).isBetween(50_000L, 60_000L);
		assertThat(got.getProps().getPriority()).isEqualTo(3);
		assertThat(got.getProps().getReplyTo()).isNull();
		assertThat(got.getProps().getHeaders().get("expires")).isInstanceOf(LongString.class);
	}

	@Test
	void headerNumbersAreNarrowedToIntegersWhenTheyFit() throws IOException {
		String queue = this.rabbit.name("numbers");
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("small", 7L);
		nested.put("none", null);
		TaskMessage task = TaskMessageBuilder.task("tasks.add").id("numbers").header("small", 5L)
			.header("negative", -5L).header("large", 5_000_000_000L).header("ratio", 1.5f)
			.header("list", List.of(1L, "x", true)).header("dict", nested).build();
		this.rabbit.broker().publish(new OutboundMessage(CODEC.encode(task), Destination.queue(queue)));
		Map<String, Object> headers = this.rabbit.channel.basicGet(queue, true).getProps().getHeaders();
		assertThat(headers.get("small")).isEqualTo(5);
		assertThat(headers.get("negative")).isEqualTo(-5);
		assertThat(headers.get("large")).isEqualTo(5_000_000_000L);
		assertThat(headers.get("ratio")).isEqualTo(1.5d);
		assertThat(list(headers.get("list")).get(0)).isEqualTo(1);
		assertThat(list(headers.get("list")).get(1)).isInstanceOf(LongString.class);
		assertThat(list(headers.get("list")).get(2)).isEqualTo(true);
		assertThat(map(headers.get("dict"))).containsEntry("small", 7).containsEntry("none", null);
	}

	@Test
	void declaresTheQueueItsExchangeAndTheBindingAsPythonDoes() throws Exception {
		String queue = this.rabbit.name("declared");
		AmqpBroker broker = this.rabbit.broker();
		broker.publish(AmqpTestSupport.message(queue, "declared", 0));
		Channel channel = this.rabbit.channel();
		assertThatNoException().isThrownBy(() -> channel.queueDeclare(queue, true, false, false, Map.of()));
		assertThatNoException().isThrownBy(() -> channel.exchangeDeclare(queue, "direct", true));
		channel.confirmSelect();
		channel.basicPublish(queue, queue, true, null, "bound".getBytes());
		channel.waitForConfirmsOrDie(5000);
		assertThat(channel.isOpen()).isTrue();
		awaitTrue(() -> broker.size(queue) == 2);
	}

	@Test
	void declaresMaxPriorityAsPythonDoes() throws IOException {
		String name = this.rabbit.name("priority");
		QueueSpec queue = new QueueSpec(name, name, ExchangeType.DIRECT, name, true, 10);
		this.rabbit.broker().publish(AmqpTestSupport.message(queue, "priority", 5));
		assertThatNoException().isThrownBy(
				() -> this.rabbit.channel().queueDeclare(name, true, false, false, Map.of("x-max-priority", 10)));
		assertThatIOException()
			.isThrownBy(() -> this.rabbit.channel().queueDeclare(name, true, false, false, Map.of()))
			.havingRootCause()
			.withMessageContaining("PRECONDITION_FAILED");
	}

	@Test
	void publishesToTopicExchangesWithTheRoutingKey() throws IOException {
		String name = this.rabbit.name("topic");
		String exchange = this.rabbit.name("topic-exchange");
		QueueSpec queue = new QueueSpec(name, exchange, ExchangeType.TOPIC, "tasks.#", true, null);
		this.rabbit.broker()
			.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task("topic", 0)),
					new Destination(exchange, "tasks.add", queue)));
		assertThatNoException().isThrownBy(() -> this.rabbit.channel().exchangeDeclare(exchange, "topic", true));
		GetResponse got = this.rabbit.channel.basicGet(name, true);
		assertThat(got.getEnvelope().getExchange()).isEqualTo(exchange);
		assertThat(got.getEnvelope().getRoutingKey()).isEqualTo("tasks.add");
	}

	@Test
	void refusedDeclarationFailsWithRabbitMqReason() throws IOException {
		String name = this.rabbit.name("inequivalent");
		this.rabbit.channel.queueDeclare(name, true, false, false, Map.of("x-max-priority", 5));
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> this.rabbit.broker().publish(AmqpTestSupport.message(name, "x", 0)))
			.withMessageContaining("declare queue '" + name + "'")
			.withMessageContaining("PRECONDITION_FAILED")
			.withMessageContaining(RabbitServer.MASKED_URL)
			.withMessageNotContaining("guest:guest");
	}

	@Test
	void publishToMissingExchangeFailsAndTheNextPublishWorks() {
		AmqpBroker broker = this.rabbit.broker();
		String missing = this.rabbit.name("missing-exchange");
		OutboundMessage lost = new OutboundMessage(CODEC.encode(AmqpTestSupport.task("lost", 0)),
				new Destination(missing, "anything"));
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> broker.publish(lost))
			.withMessageContaining("exchange '" + missing + "'")
			.withMessageContaining("NOT_FOUND - no exchange")
			.withMessageContaining(RabbitServer.MASKED_URL);
		String queue = this.rabbit.name("after-missing");
		broker.publish(AmqpTestSupport.message(queue, "after", 0));
		assertThat(broker.size(queue)).isEqualTo(1);
	}

	@Test
	void aMissingExchangeDoesNotFailOtherThreadsPublishes() throws Exception {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("bystander");
		String missing = this.rabbit.name("missing");
		broker.publish(AmqpTestSupport.message(queue, "first", 0));
		AtomicInteger failures = new AtomicInteger();
		AtomicInteger missingFailures = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(5);
		for (int t = 0; t < 4; t++) {
			threads.execute(() -> {
				for (int i = 0; i < 300; i++) {
					try {
						broker.publish(AmqpTestSupport.message(queue, "ok", 0));
					}
					catch (BrokerException ex) {
						failures.incrementAndGet();
					}
				}
			});
		}
		threads.execute(() -> {
			for (int i = 0; i < 20; i++) {
				try {
					broker.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task("x", 0)),
							new Destination(missing, "key")));
				}
				catch (BrokerException ex) {
					missingFailures.incrementAndGet();
				}
			}
		});
		threads.shutdown();
		assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		assertThat(failures).hasValue(0);
		assertThat(missingFailures).hasValue(20);
		assertThat(broker.size(queue)).isEqualTo(1 + 4 * 300);
	}

	@Test
	void anExchangeDeletedAfterItWasCheckedFailsThePublishAndTheChannelIsReplaced() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String name = this.rabbit.name("deleted");
		String exchange = this.rabbit.name("deleted-exchange");
		this.rabbit.channel.queueDeclare(name, true, false, false, Map.of());
		this.rabbit.channel.exchangeDeclare(exchange, "direct", true);
		this.rabbit.channel.queueBind(name, exchange, "key");
		OutboundMessage message = new OutboundMessage(CODEC.encode(AmqpTestSupport.task("x", 0)),
				new Destination(exchange, "key"));
		broker.publish(message);
		this.rabbit.channel.exchangeDelete(exchange);
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> broker.publish(message))
			.withMessageContaining("NOT_FOUND - no exchange '" + exchange + "'");
		broker.publish(AmqpTestSupport.message(name, "after", 0));
		assertThat(broker.size(name)).isEqualTo(2);
	}

	@Test
	void unroutableMessageFails() throws IOException {
		AmqpBroker broker = this.rabbit.broker();
		String exchange = this.rabbit.name("unbound");
		this.rabbit.channel.exchangeDeclare(exchange, "direct", true);
		OutboundMessage unroutable = new OutboundMessage(CODEC.encode(AmqpTestSupport.task("nowhere", 0)),
				new Destination(exchange, "nowhere"));
		assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> broker.publish(unroutable))
			.withMessageContaining("unroutable")
			.withMessageContaining("312 NO_ROUTE")
			.withMessageContaining("exchange '" + exchange + "' with routing key 'nowhere'");
		String missingQueue = this.rabbit.name("no-such-queue");
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> broker.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task("q", 0)),
					new Destination("", missingQueue))))
			.withMessageContaining("routing key '" + missingQueue + "'");
	}

	@Test
	void onlyTheUnroutableOfConcurrentPublishesFail() throws Exception {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("mixed");
		String exchange = this.rabbit.name("mixed-exchange");
		QueueSpec spec = new QueueSpec(queue, exchange, ExchangeType.DIRECT, "routed", true, null);
		broker.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task("first", 0)),
				new Destination(exchange, "routed", spec)));
		List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicInteger unexpected = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(6);
		for (int t = 0; t < 6; t++) {
			int thread = t;
			threads.execute(() -> {
				for (int i = 0; i < 200; i++) {
					String id = thread + "-" + i;
					boolean routed = (i % 3 != 0);
					try {
						broker.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task(id, 0)),
								new Destination(exchange, routed ? "routed" : "lost")));
						if (!routed) {
							unexpected.incrementAndGet();
						}
					}
					catch (BrokerException ex) {
						failed.add(id);
						if (routed) {
							unexpected.incrementAndGet();
						}
					}
				}
			});
		}
		threads.shutdown();
		assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		assertThat(unexpected).hasValue(0);
		assertThat(failed).hasSize(6 * 67);
		assertThat(broker.size(queue)).isEqualTo(1 + 6 * 133);
	}

	@Test
	void withoutConfirmsPublishingIsFireAndForgetAsInPython() {
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(), false,
				Duration.ofSeconds(1)));
		String missing = this.rabbit.name("nowhere");
		assertThatNoException().isThrownBy(() -> broker
			.publish(new OutboundMessage(CODEC.encode(AmqpTestSupport.task("x", 0)), new Destination("", missing))));
		String queue = this.rabbit.name("unconfirmed");
		broker.publish(AmqpTestSupport.message(queue, "x", 0));
		awaitTrue(() -> broker.size(queue) == 1);
	}

	@Test
	void declarationsAreCachedUntilTheConnectionIsReplaced() {
		AmqpBroker broker = this.rabbit.broker();
		String queue = this.rabbit.name("cached");
		broker.publish(AmqpTestSupport.message(queue, "one", 0));
		this.rabbit.admin.deleteQueue(queue);
		assertThatExceptionOfType(BrokerException.class)
			.isThrownBy(() -> broker.publish(AmqpTestSupport.message(queue, "two", 0)))
			.withMessageContaining("unroutable");
		this.rabbit.factory.resetConnection();
		broker.publish(AmqpTestSupport.message(queue, "three", 0));
		assertThat(broker.size(queue)).isEqualTo(1);
	}

	@Test
	void pingFailsWithTheMaskedUrlWhenRabbitMqIsUnreachable() {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 1);
		factory.setUsername("guest");
		factory.setPassword("secret");
		AmqpBroker broker = new AmqpBroker(factory, CODEC,
				AmqpTransportOptions.defaults("amqp://guest:****@127.0.0.1:1//"));
		try {
			assertThatExceptionOfType(BrokerException.class).isThrownBy(broker::ping)
				.withMessageContaining("amqp://guest:****@127.0.0.1:1//")
				.withMessageNotContaining("secret");
			assertThatExceptionOfType(BrokerException.class)
				.isThrownBy(() -> broker.publish(AmqpTestSupport.message("x", "x", 0)))
				.withMessageContaining("amqp://guest:****@127.0.0.1:1//");
		}
		finally {
			broker.destroy();
			factory.destroy();
		}
		assertThatNoException().isThrownBy(this.rabbit.broker()::ping);
	}

	private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
	}

}
