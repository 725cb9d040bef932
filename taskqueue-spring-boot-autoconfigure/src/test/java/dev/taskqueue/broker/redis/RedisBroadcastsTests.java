package dev.taskqueue.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KillArgs;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.redis.BroadcastRecorder.Received;
import dev.taskqueue.broker.redis.Envelopes.EnvelopeException;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.testsupport.RedisServer;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.SEP;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Broadcasts of the Redis broker on the real Redis (database 6, a key prefix of the test's
 * own, which also prefixes the pub/sub channels): Java publishes, Java receives, and the
 * envelopes and channel names are those of the kombu 5.2.4 captures.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisBroadcastsTests {

	static final BroadcastExchange PIDBOX = new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false);

	static final BroadcastExchange EVENTS = new BroadcastExchange("celeryev", ExchangeType.TOPIC, true);

	static final BroadcastExchange REPLIES = new BroadcastExchange("reply.celery.pidbox", ExchangeType.DIRECT, false);

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 6);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<String[]> published = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void fanoutReachesEverySubscriberOnKombusChannel() {
		watchChannels();
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder first = new BroadcastRecorder();
		BroadcastRecorder second = new BroadcastRecorder();
		Subscription closing = broker.subscribe(PIDBOX, queue("a@h.celery.pidbox", ""), first);
		this.closeables.add(broker.subscribe(PIDBOX, queue("b@h.celery.pidbox", ""), second));
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.celery.pidbox")))
			.containsExactlyInAnyOrder(SEP + SEP + "a@h.celery.pidbox", SEP + SEP + "b@h.celery.pidbox");

		broker.publish(PIDBOX, "", json(Map.of("clock", 1), "{\"method\": \"ping\"}", true));

		for (BroadcastRecorder recorder : List.of(first, second)) {
			Received received = recorder.await(1).get(0);
			assertThat(received.routingKey()).isEmpty();
			assertThat(received.body()).isEqualTo("{\"method\": \"ping\"}");
			assertThat(received.message().headers()).isEqualTo(Map.of("clock", 1));
			assertThat(received.message().contentType()).isEqualTo("application/json");
			assertThat(received.message().contentEncoding()).isEqualTo("utf-8");
			assertThat(received.message().persistent()).isTrue();
		}
		await().atMost(WAIT).until(() -> !this.published.isEmpty());
		assertThat(this.published.get(0)[0]).isEqualTo(this.redis.prefix + "/6.celery.pidbox");

		closing.close();
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.celery.pidbox")))
			.containsExactly(SEP + SEP + "b@h.celery.pidbox");
		broker.publish(PIDBOX, "", json(Map.of(), "{\"method\": \"stats\"}", true));
		second.await(2);
		first.assertStaysAt(1, Duration.ofMillis(300));
	}

	@Test
	void topicExchangeIsFanoutWithPatterns() {
		watchChannels();
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder all = new BroadcastRecorder();
		BroadcastRecorder workers = new BroadcastRecorder();
		BroadcastRecorder tasks = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(EVENTS, queue("celeryev.all", "#"), all));
		this.closeables.add(broker.subscribe(EVENTS, queue("celeryev.workers", "worker.#"), workers));
		this.closeables.add(broker.subscribe(EVENTS, queue("celeryev.tasks", "task.#"), tasks));
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.celeryev"))).containsExactlyInAnyOrder(
				"#" + SEP + SEP + "celeryev.all", "worker.#" + SEP + SEP + "celeryev.workers",
				"task.#" + SEP + SEP + "celeryev.tasks");

		broker.publish(EVENTS, "worker.heartbeat", json(Map.of("hostname", "j@h"), "{\"n\": 1}", false));
		broker.publish(EVENTS, "task.multi", json(Map.of("hostname", "j@h"), "[{\"n\": 2}]", false));

		assertThat(all.await(2)).extracting(Received::routingKey).containsExactly("worker.heartbeat", "task.multi");
		assertThat(workers.await(1)).extracting(Received::body).containsExactly("{\"n\": 1}");
		assertThat(tasks.await(1)).extracting(Received::body).containsExactly("[{\"n\": 2}]");
		assertThat(all.received.get(0).message().persistent()).isFalse();
		await().atMost(WAIT).until(() -> this.published.size() >= 2);
		assertThat(this.published).extracting((message) -> message[0]).containsExactly(
				this.redis.prefix + "/6.celeryev/worker.heartbeat", this.redis.prefix + "/6.celeryev/task.multi");
		workers.assertStaysAt(1, Duration.ofMillis(300));
	}

	@Test
	void routingKeyComesFromTheChannelWhenTheEnvelopeHasNone() {
		BroadcastRecorder recorder = new BroadcastRecorder();
		this.closeables.add(this.redis.broker().subscribe(EVENTS, queue("celeryev.q", "#"), recorder));
		this.redis.redis.publish(this.redis.prefix + "/6.celeryev/worker.online",
				"{\"body\": \"e30=\", \"content-type\": \"application/json\", \"properties\": {\"body_encoding\": \"base64\"}}");
		Received received = recorder.await(1).get(0);
		assertThat(received.routingKey()).isEqualTo("worker.online");
		assertThat(received.body()).isEqualTo("{}");
		assertThat(received.message().contentEncoding()).isEqualTo("utf-8");
	}

	@Test
	void directExchangeRoutesThroughTheBindingSet() {
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder recorder = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(REPLIES, queue("oid-1.reply.celery.pidbox", "oid-1"), recorder));
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.reply.celery.pidbox")))
			.containsExactly("oid-1" + SEP + SEP + "oid-1.reply.celery.pidbox");

		broker.publish(REPLIES, "oid-2", json(Map.of("ticket", "t-2"), "{\"nobody\": 2}", false));
		broker.publish(REPLIES, "oid-1", json(Map.of("ticket", "t-1"), "{\"j@h\": {\"ok\": \"pong\"}}", false));

		Received received = recorder.await(1).get(0);
		assertThat(received.routingKey()).isEqualTo("oid-1");
		assertThat(received.body()).isEqualTo("{\"j@h\": {\"ok\": \"pong\"}}");
		assertThat(received.message().headers()).isEqualTo(Map.of("ticket", "t-1"));
		assertThat(received.message().persistent()).isFalse();
		assertThat(this.redis.redis.exists(this.redis.key("oid-2.reply.celery.pidbox"))).isZero();
		recorder.assertStaysAt(1, Duration.ofMillis(300));
	}

	@Test
	void closingADirectSubscriptionRemovesItsBindingAndLists() throws InterruptedException {
		RedisBroker broker = this.redis.broker();
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Subscription subscription = broker.subscribe(REPLIES, queue("oid-3.reply.celery.pidbox", "oid-3"),
				(routingKey, message) -> {
					holding.countDown();
					awaitQuietly(release);
				});
		broker.publish(REPLIES, "oid-3", json(Map.of(), "1", false));
		assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
		broker.publish(REPLIES, "oid-3", json(Map.of(), "2", false));
		assertThat(this.redis.redis.llen(this.redis.key("oid-3.reply.celery.pidbox"))).isEqualTo(1);

		subscription.close();
		release.countDown();

		assertThat(this.redis.redis.exists(this.redis.key("oid-3.reply.celery.pidbox"))).isZero();
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.reply.celery.pidbox"))).isEmpty();
		broker.publish(REPLIES, "oid-3", json(Map.of(), "3", false));
		assertThat(this.redis.redis.exists(this.redis.key("oid-3.reply.celery.pidbox"))).isZero();
	}

	@Test
	void malformedEnvelopesAndFailingListenersDoNotStopSubscriptions(CapturedOutput output) {
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder fanout = new BroadcastRecorder();
		BroadcastRecorder direct = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(PIDBOX, queue("m@h.celery.pidbox", ""), fanout));
		this.closeables.add(broker.subscribe(REPLIES, queue("oid-4.reply.celery.pidbox", "oid-4"), direct));
		String channel = this.redis.prefix + "/6.celery.pidbox";
		String list = this.redis.key("oid-4.reply.celery.pidbox");
		for (String garbage : List.of("not json", "[1]", "{\"body\": 1, \"properties\": {}}",
				"{\"body\": \"%%%\", \"content-type\": \"a/b\", \"properties\": {\"body_encoding\": \"base64\"}}",
				"{\"body\": \"e30=\", \"properties\": {\"body_encoding\": \"base64\"}}",
				"{\"body\": \"e30=\", \"content-type\": \"a/b\", \"properties\": []}")) {
			this.redis.redis.publish(channel, garbage);
			this.redis.redis.lpush(list, garbage);
		}
		fanout.toThrow.add(new IllegalStateException("listener failure"));
		fanout.toThrow.add(new OutOfMemoryError("listener error"));
		direct.toThrow.add(new IllegalStateException("listener failure"));
		direct.toThrow.add(new OutOfMemoryError("listener error"));
		for (int i = 1; i <= 3; i++) {
			broker.publish(PIDBOX, "", json(Map.of(), Integer.toString(i), true));
			broker.publish(REPLIES, "oid-4", json(Map.of(), Integer.toString(i), false));
		}
		assertThat(fanout.await(3)).extracting(Received::body).containsExactly("1", "2", "3");
		assertThat(direct.await(3)).extracting(Received::body).containsExactly("1", "2", "3");
		assertThat(output).contains("that is not a kombu envelope: not JSON", "base64", "no 'content-type'",
				"listener failure", "listener error");
	}

	@Test
	void refusesEnvelopesOverTheSizeLimitBeforeReadingThem() {
		assertThatExceptionOfType(EnvelopeException.class)
			.isThrownBy(() -> new Envelopes().readBroadcast(new byte[Envelopes.MAX_BROADCAST_SIZE + 1]))
			.withMessageContaining("over the limit");
	}

	@Test
	void fanoutEnvelopeIsTheCapturedOneByteForByte() {
		watchChannels();
		Map<String, Object> request = map(fixture("pidbox/redis/02_ping.json").get("request"));
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", 1);
		headers.put("expires", new BigDecimal("1795281245.748672"));
		this.redis.broker().publish(PIDBOX, "", json(headers, (String) request.get("body_text"), true));
		await().atMost(WAIT).until(() -> !this.published.isEmpty());
		assertThat(this.published.get(0)[0]).isEqualTo(this.redis.prefix + onDb6(request.get("channel")));
		assertSameEnvelope(this.published.get(0)[1], (String) request.get("raw"));

		Map<String, Object> event = map(fixture("events/redis/worker-heartbeat.json").get("message"));
		this.redis.broker()
			.publish(EVENTS, "worker.heartbeat", json(Map.of("hostname", "evredis@vm"), (String) event.get("body_text"),
					false));
		await().atMost(WAIT).until(() -> this.published.size() > 1);
		assertThat(this.published.get(1)[0]).isEqualTo(this.redis.prefix + onDb6(event.get("channel")));
		assertSameEnvelope(this.published.get(1)[1], (String) event.get("raw"));
	}

	@Test
	void directEnvelopeIsTheCapturedOneByteForByte() {
		Map<String, Object> reply = map(
				RedisTestSupport.list(fixture("pidbox/redis/02_ping.json").get("replies")).get(0));
		String queue = (String) reply.get("redis_key");
		String oid = queue.substring(0, queue.indexOf('.'));
		// bound as kombu binds a client's reply queue
		this.redis.redis.sadd(this.redis.key("_kombu.binding.reply.celery.pidbox"), oid + SEP + SEP + queue,
				"other" + SEP + SEP + "other.reply.celery.pidbox");
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("ticket", "6476e70c-c963-40d3-90ab-b30f3af6f7f1");
		headers.put("clock", 3);
		this.redis.broker().publish(REPLIES, oid, json(headers, (String) reply.get("body_text"), false));
		List<String> pushed = this.redis.redis.lrange(this.redis.key(queue), 0, -1);
		assertThat(pushed).hasSize(1);
		assertSameEnvelope(pushed.get(0), (String) reply.get("raw"));
		assertThat(this.redis.redis.exists(this.redis.key("other.reply.celery.pidbox"))).isZero();
	}

	@Test
	void subscriptionsResumeWhenTheirConnectionsAreKilled(CapturedOutput output) {
		String clientName = "redisbc-" + UUID.randomUUID().toString().substring(0, 8);
		LettuceConnectionFactory factory = RedisServer.connectionFactory(6, clientName, null);
		this.closeables.add(factory::destroy);
		RedisBroker broker = new RedisBroker(factory, RedisTestSupport.CODEC,
				new RedisTransportOptions(this.redis.url(), Duration.ofHours(1), this.redis.prefix));
		this.closeables.add(broker::destroy);
		BroadcastRecorder fanout = new BroadcastRecorder();
		BroadcastRecorder direct = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(PIDBOX, queue("k@h.celery.pidbox", ""), fanout));
		this.closeables.add(broker.subscribe(REPLIES, queue("oid-5.reply.celery.pidbox", "oid-5"), direct));
		await().atMost(WAIT).until(() -> clients(clientName, "cmd=brpop").size() == 1);
		// as if Redis restarted without its data
		this.redis.redis.del(this.redis.key("_kombu.binding.celery.pidbox"),
				this.redis.key("_kombu.binding.reply.celery.pidbox"));

		List<Long> killed = new ArrayList<>(clients(clientName, "psub=1"));
		killed.addAll(clients(clientName, "cmd=brpop"));
		assertThat(killed).hasSize(2);
		killed.forEach((id) -> this.redis.redis.clientKill(KillArgs.Builder.id(id)));

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.celery.pidbox"))).hasSize(1);
			assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.reply.celery.pidbox"))).hasSize(1);
		});
		broker.publish(PIDBOX, "", json(Map.of(), "after", true));
		broker.publish(REPLIES, "oid-5", json(Map.of(), "after", false));
		assertThat(fanout.await(1)).extracting(Received::body).containsExactly("after");
		assertThat(direct.await(1)).extracting(Received::body).containsExactly("after");
		assertThat(output).contains("subscribing again when it is back", "resumed");
	}

	/** A captured channel name (database 0) on this test's database. */
	private static String onDb6(Object channel) {
		assertThat((String) channel).startsWith("/0.");
		return "/6." + ((String) channel).substring(3);
	}

	private List<Long> clients(String clientName, String marker) {
		List<Long> ids = new ArrayList<>();
		for (String line : this.redis.redis.clientList().split("\n")) {
			if (line.contains(" name=" + clientName + " ") && line.contains(" " + marker + " ")) {
				int start = line.indexOf("id=") + 3;
				ids.add(Long.parseLong(line.substring(start, line.indexOf(' ', start))));
			}
		}
		return ids;
	}

	/** Same text once the delivery tag, which is new for every message, is the captured one. */
	private static void assertSameEnvelope(String actual, String captured) {
		String tag = RedisTestSupport.deliveryTag(actual);
		assertThat(tag).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		assertThat(actual.replace(tag, RedisTestSupport.deliveryTag(captured))).isEqualTo(captured);
	}

	/** Record what is published under the test's prefix: channel and message. */
	private void watchChannels() {
		StatefulRedisPubSubConnection<String, String> connection = this.redis.client.connectPubSub();
		this.closeables.add(connection::close);
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String pattern, String channel, String message) {
				RedisBroadcastsTests.this.published.add(new String[] { channel, message });
			}

		});
		connection.sync().psubscribe(this.redis.prefix + "*");
	}

	private static BroadcastMessage json(Map<String, Object> headers, String body, boolean persistent) {
		return BroadcastRecorder.json(headers, body, persistent);
	}

	static BroadcastQueue queue(String name, String bindingKey) {
		return new BroadcastQueue(name, bindingKey, Map.of());
	}

	static Map<String, Object> fixture(String path) {
		try (InputStream in = RedisBroadcastsTests.class.getResourceAsStream("/celery-fixtures/" + path)) {
			return map(MAPPER.readValue(in, Object.class));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
