package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.SEP;
import static dev.taskqueue.broker.redis.RedisTestSupport.fixture;
import static dev.taskqueue.broker.redis.RedisTestSupport.list;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Publishing against the real Redis: the envelope is the one Celery 5.2.6 / kombu 5.2.4
 * writes, on the list of its priority step, with the queue's binding.
 */
class RedisBrokerPublishTests {

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport();

	@Test
	void publishWritesTheEnvelopeCeleryWrites() {
		Map<String, Object> fixture = fixture("01_delay_add_2_3.json");
		Map<String, Object> captured = map(list(fixture.get("messages")).get(0));
		String raw = (String) captured.get("raw");
		Map<String, Object> expected = map(MAPPER.readValue(raw, Object.class));
		Map<String, Object> expectedHeaders = map(expected.get("headers"));
		Map<String, Object> expectedProperties = map(expected.get("properties"));
		TaskMessage task = TaskMessageBuilder.task((String) expectedHeaders.get("task"))
			.id((String) expectedHeaders.get("id"))
			.args(List.of(2, 3))
			.origin((String) expectedHeaders.get("origin"))
			.replyTo((String) expectedProperties.get("reply_to"))
			.build();
		this.redis.broker().publish(new OutboundMessage(RedisTestSupport.CODEC.encode(task), Destination.queue("celery")));

		List<String> stored = this.redis.redis.lrange(this.redis.key("celery"), 0, -1);
		assertThat(stored).hasSize(1);
		Map<String, Object> actual = map(MAPPER.readValue(stored.get(0), Object.class));
		assertThat(actual.keySet()).containsExactly("body", "content-encoding", "content-type", "headers", "properties");
		assertThat(actual.get("body")).isEqualTo(expected.get("body"));
		assertThat(actual.get("content-encoding")).isEqualTo(expected.get("content-encoding"));
		assertThat(actual.get("content-type")).isEqualTo(expected.get("content-type"));
		Map<String, Object> headers = map(actual.get("headers"));
		expectedHeaders.forEach((name, value) -> assertThat(headers.get(name)).as(name).isEqualTo(value));
		List<String> order = new ArrayList<>(headers.keySet());
		order.retainAll(expectedHeaders.keySet());
		assertThat(order).containsExactlyElementsOf(expectedHeaders.keySet());
		Map<String, Object> properties = map(actual.get("properties"));
		assertThat(properties.keySet()).containsExactlyElementsOf(expectedProperties.keySet());
		expectedProperties.forEach((name, value) -> {
			if (!name.equals("delivery_tag")) {
				assertThat(properties.get(name)).as(name).isEqualTo(value);
			}
		});
		assertThat((String) properties.get("delivery_tag"))
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		// Python's json.dumps layout, byte for byte up to the first header Java adds
		String javaText = stored.get(0);
		assertThat(javaText.substring(0, javaText.indexOf("\"replaced_task_nesting\"")))
			.isEqualTo(raw.substring(0, raw.indexOf("\"ignore_result\"")) + "\"ignore_result\": false, ");
	}

	@Test
	void publishUsesTheListOfThePriorityStep() {
		RedisBroker broker = this.redis.broker();
		broker.publish(RedisTestSupport.message("celery", "p0", 0));
		broker.publish(RedisTestSupport.message("celery", "p5", 5));
		broker.publish(RedisTestSupport.message("celery", "p9", 9));
		broker.publish(RedisTestSupport.message("celery", "p2", 2));
		// the keys of the captures 08 (priority 5) and 09 (priority 9)
		assertThat(fixtureKey("08_priority_5.json")).isEqualTo("celery" + SEP + "3");
		assertThat(fixtureKey("09_priority_9.json")).isEqualTo("celery" + SEP + "9");
		assertThat(ids(this.redis.key("celery"))).containsExactly("p2", "p0");
		assertThat(ids(this.redis.key("celery" + SEP + "3"))).containsExactly("p5");
		assertThat(ids(this.redis.key("celery" + SEP + "6"))).isEmpty();
		assertThat(ids(this.redis.key("celery" + SEP + "9"))).containsExactly("p9");
		assertThat(broker.size("celery")).isEqualTo(4);
		assertThat(broker.size("other")).isZero();
	}

	@Test
	void publishAddsTheBindingOncePerQueue() {
		RedisBroker broker = this.redis.broker();
		broker.publish(RedisTestSupport.message("celery", "a", 0));
		String binding = this.redis.key("_kombu.binding.celery");
		assertThat(this.redis.redis.smembers(binding)).containsExactly("celery" + SEP + SEP + "celery");
		assertThat(fixtureBindingMember()).isEqualTo("celery" + SEP + SEP + "celery");
		this.redis.redis.del(binding);
		broker.publish(RedisTestSupport.message("celery", "b", 0));
		assertThat(this.redis.redis.exists(binding)).isZero();
		assertThat(this.redis.redis.keys(this.redis.prefix + "*")).containsExactlyInAnyOrder(this.redis.key("celery"));
	}

	@Test
	void publishToANamedExchangeIsNotSupportedYet() {
		OutboundMessage message = new OutboundMessage(RedisTestSupport.CODEC.encode(RedisTestSupport.task("x", 0)),
				new Destination("tasks", "celery"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.redis.broker().publish(message))
			.withMessageContaining("exchange 'tasks'");
	}

	@Test
	void unreachableRedisFailsWithTheMaskedUrl() {
		RedisStandaloneConfiguration nowhere = new RedisStandaloneConfiguration("127.0.0.1", 1);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(nowhere,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		try {
			RedisBroker broker = new RedisBroker(factory, RedisTestSupport.CODEC,
					RedisTransportOptions.defaults("redis://:****@127.0.0.1:1/5"));
			assertThatExceptionOfType(BrokerException.class)
				.isThrownBy(() -> broker.publish(RedisTestSupport.message("celery", "a", 0)))
				.withMessageContaining("redis://:****@127.0.0.1:1/5");
			assertThatExceptionOfType(BrokerException.class).isThrownBy(broker::ping)
				.withMessageContaining("redis://:****@127.0.0.1:1/5");
			assertThatExceptionOfType(BrokerException.class).isThrownBy(() -> broker.size("celery"))
				.withMessageContaining("redis://:****@127.0.0.1:1/5");
			broker.destroy();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void pingAnswers() {
		this.redis.broker().ping();
		assertThat(this.redis.broker().url()).isEqualTo(this.redis.url());
	}

	private List<String> ids(String key) {
		return this.redis.redis.lrange(key, 0, -1).stream()
			.map((raw) -> (String) map(map(MAPPER.readValue(raw, Object.class)).get("headers")).get("id"))
			.toList();
	}

	private static String fixtureKey(String file) {
		Map<String, Object> captured = map(list(fixture(file).get("messages")).get(0));
		String repr = (String) captured.get("redis_key_repr");
		return repr.substring(2, repr.length() - 1).replace("\\x06", "\u0006").replace("\\x16", "\u0016");
	}

	private static String fixtureBindingMember() {
		Map<String, Object> fixture = fixture("01_delay_add_2_3.json");
		for (Object command : list(fixture.get("redis_commands_seen"))) {
			List<Object> parts = list(command);
			if ("SADD".equals(parts.get(1))) {
				String repr = (String) map(parts.get(3)).get("$repr");
				return repr.substring(2, repr.length() - 1).replace("\\x06", "\u0006").replace("\\x16", "\u0016");
			}
		}
		throw new IllegalStateException("No SADD in the capture");
	}

}
