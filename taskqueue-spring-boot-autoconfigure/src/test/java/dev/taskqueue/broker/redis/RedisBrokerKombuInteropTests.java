package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.list;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kombu 5.2.4 and Celery 5.2.6 themselves ({@code /usr/bin/python3}) on the same Redis
 * database and key prefix: each side consumes what the other published, and restores what
 * the other abandoned.
 */
class RedisBrokerKombuInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 6);

	@BeforeAll
	static void kombuIsInstalled() {
		assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import kombu, celery, redis"),
				"python3-celery is not installed (apt-get install -y python3-celery python3-redis python3-msgpack)");
	}

	@Test
	void kombuConsumesWhatJavaPublished() {
		this.redis.broker().publish(RedisTestSupport.message("interop", "java-task", 0));
		Map<String, Object> got = python("""
				from kombu import Connection
				with Connection(URL, transport_options={'global_keyprefix': PREFIX}) as conn:
				    q = conn.SimpleQueue('interop')
				    m = q.get(timeout=10)
				    recorded = conn.default_channel.client.hget('unacked', m.delivery_tag)
				    out = {'payload': m.payload, 'headers': m.headers, 'content_type': m.content_type,
				           'delivery_info': m.delivery_info, 'recorded': json.loads(recorded)}
				    m.ack()
				    q.close()
				print(json.dumps(out))
				""");
		assertThat(list(got.get("payload")).subList(0, 2)).containsExactly(List.of(2, 3), Map.of());
		assertThat(map(got.get("headers"))).containsEntry("task", "tasks.add").containsEntry("id", "java-task");
		assertThat(got.get("content_type")).isEqualTo("application/json");
		assertThat(list(got.get("recorded")).subList(1, 3)).containsExactly("", "interop");
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
		assertThat(this.redis.redis.zcard(this.redis.key("unacked_index"))).isZero();
	}

	@Test
	void javaConsumesWhatCeleryPublished() {
		Map<String, Object> sent = python("""
				from celery import Celery
				app = Celery('interop', broker=URL)
				app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
				result = app.send_task('tasks.add', args=(2, 3), kwargs={'z': 1}, queue='interop', priority=6)
				print(json.dumps({'id': result.id}))
				""");
		assertThat(this.redis.redis.llen(this.redis.key("interop\u0006\u00166"))).isEqualTo(1);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.redis.broker()
			.consume(new ConsumerSettings(List.of("interop"), 2), handler)) {
			Delivery delivery = handler.await(1).get(0);
			TaskMessage message = delivery.message();
			assertThat(message.id()).isEqualTo(sent.get("id"));
			assertThat(message.task()).isEqualTo("tasks.add");
			assertThat(message.args()).containsExactly(2, 3);
			assertThat(message.kwargs()).containsEntry("z", 1);
			assertThat(message.properties().priority()).isEqualTo(6);
			assertThat(delivery.queue()).isEqualTo("interop");
			assertThat(delivery.redelivered()).isFalse();
			delivery.ack();
		}
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
	}

	@Test
	void kombuRestoresWhatJavaAbandoned() {
		RedisBroker broker = this.redis.crashableBroker(RedisTransportOptions.DEFAULT_VISIBILITY_TIMEOUT);
		broker.publish(RedisTestSupport.message("interop", "abandoned-by-java", 0));
		RecordingHandler handler = new RecordingHandler();
		Consumption consumption = broker.consume(new ConsumerSettings(List.of("interop"), 1), handler);
		handler.await(1);
		consumption.close();
		this.redis.crash(broker);
		TestProcesses.sleep(1200);
		Map<String, Object> got = python("""
				from kombu import Connection
				options = {'global_keyprefix': PREFIX, 'visibility_timeout': 1}
				with Connection(URL, transport_options=options) as conn:
				    conn.default_channel.qos.restore_visible()
				    q = conn.SimpleQueue('interop')
				    m = q.get(timeout=10)
				    out = {'id': m.headers['id'], 'redelivered': m.delivery_info.get('redelivered'),
				           'header': m.headers.get('redelivered')}
				    m.ack()
				    q.close()
				print(json.dumps(out))
				""");
		assertThat(got).containsEntry("id", "abandoned-by-java").containsEntry("redelivered", true)
			.containsEntry("header", true);
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isZero();
	}

	@Test
	void kombuLeavesAloneWhatJavaStillHolds() {
		RedisBroker broker = this.redis.broker(Duration.ofSeconds(1));
		broker.publish(RedisTestSupport.message("interop", "held-by-java", 0));
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("interop"), 2), handler)) {
			Delivery delivery = handler.await(1).get(0);
			String tag = this.redis.redis.hkeys(this.redis.key("unacked")).get(0);
			double delivered = this.redis.redis.zscore(this.redis.key("unacked_index"), tag);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				Double score = this.redis.redis.zscore(this.redis.key("unacked_index"), tag);
				return score == null || score > delivered + 1.5;
			});
			python("""
					from kombu import Connection
					options = {'global_keyprefix': PREFIX, 'visibility_timeout': 1}
					with Connection(URL, transport_options=options) as conn:
					    conn.default_channel.qos.restore_visible()
					print(json.dumps({'scanned': True}))
					""");
			assertThat(this.redis.redis.hexists(this.redis.key("unacked"), tag)).isTrue();
			assertThat(broker.size("interop")).isZero();
			assertThat(handler.deliveries).hasSize(1);
			delivery.ack();
		}
	}

	@Test
	void javaRestoresWhatKombuAbandoned() {
		python("""
				import os
				from celery import Celery
				app = Celery('interop', broker=URL)
				app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
				app.send_task('tasks.add', args=(4, 5), queue='interop', task_id='abandoned-by-python')
				from kombu import Connection
				conn = Connection(URL, transport_options={'global_keyprefix': PREFIX})
				m = conn.SimpleQueue('interop').get(timeout=10)
				print(json.dumps({'id': m.headers['id']}), flush=True)
				os._exit(0)  # a crash: no ack, no restore at shutdown
				""");
		assertThat(this.redis.redis.hlen(this.redis.key("unacked"))).isEqualTo(1);
		TestProcesses.sleep(1100);
		RecordingHandler handler = new RecordingHandler();
		try (Consumption consumption = this.redis.broker(Duration.ofSeconds(1))
			.consume(new ConsumerSettings(List.of("interop"), 1), handler)) {
			Delivery delivery = handler.await(1).get(0);
			assertThat(delivery.message().id()).isEqualTo("abandoned-by-python");
			assertThat(delivery.message().args()).containsExactly(4, 5);
			assertThat(delivery.redelivered()).isTrue();
			delivery.ack();
		}
	}

	private Map<String, Object> python(String body) {
		String script = "import json, sys\nURL, PREFIX = sys.argv[1], sys.argv[2]\n" + body;
		try {
			Path file = Files.createTempFile("kombu-interop", ".py");
			try {
				Files.writeString(file, script, StandardCharsets.UTF_8);
				TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60),
						List.of(PYTHON, file.toString(), this.redis.url(), this.redis.prefix));
				assertThat(result.exit()).as(result.output()).isZero();
				String[] lines = result.stdout().trim().split("\n");
				return map(MAPPER.readValue(lines[lines.length - 1], Object.class));
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
