package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.redis.BroadcastRecorder.Received;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.list;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Remote control and events between the Redis broker's broadcasts and Celery 5.2.6 / kombu
 * 5.2.4 themselves ({@code /usr/bin/python3}), on database 6 with a key prefix of the test's
 * own (kombu's {@code global_keyprefix}, which also prefixes the pub/sub channels).
 */
class RedisBroadcastsCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final BroadcastExchange PIDBOX = RedisBroadcastsTests.PIDBOX;

	private static final BroadcastExchange EVENTS = RedisBroadcastsTests.EVENTS;

	private static final BroadcastExchange REPLIES = RedisBroadcastsTests.REPLIES;

	private static final String APP = """
			from celery import Celery
			app = Celery('interop', broker=URL)
			app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
			""";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 6);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import kombu, celery, redis"),
				"python3-celery is not installed (apt-get install -y python3-celery python3-redis)");
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void celeryControlPingIsAnsweredByJava() {
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder requests = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(PIDBOX, queue("java@h.celery.pidbox", ""), (routingKey, message) -> {
			requests.onMessage(routingKey, message);
			Map<String, Object> request = map(MAPPER.readValue(message.body(), Object.class));
			Map<String, Object> replyTo = map(request.get("reply_to"));
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put("ticket", request.get("ticket"));
			headers.put("clock", 5);
			broker.publish(new BroadcastExchange((String) replyTo.get("exchange"), ExchangeType.DIRECT, false),
					(String) replyTo.get("routing_key"), json(headers, "{\"java@h\": {\"ok\": \"pong\"}}", false));
		}));

		Map<String, Object> got = python(APP + "print(json.dumps({'replies': app.control.ping(timeout=3)}))\n");

		assertThat(list(got.get("replies"))).containsExactly(Map.of("java@h", Map.of("ok", "pong")));
		Received request = requests.received.get(0);
		assertThat(request.routingKey()).isEmpty();
		assertThat(request.message().persistent()).isTrue();
		assertThat(request.message().headers()).containsKeys("clock", "expires");
		assertThat(map(MAPPER.readValue(request.message().body(), Object.class))).containsEntry("method", "ping");
	}

	@Test
	void kombuPidboxNodeAnswersJavasRequest() {
		RedisBroker broker = this.redis.broker();
		BroadcastRecorder replies = new BroadcastRecorder();
		this.closeables.add(broker.subscribe(REPLIES, queue("oid-c.reply.celery.pidbox", "oid-c"), replies));
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", 1);
		headers.put("expires", 0);
		BroadcastMessage request = json(headers, "{\"method\": \"ping\", \"arguments\": {}, \"destination\": null, "
				+ "\"pattern\": null, \"matcher\": null, \"ticket\": \"ticket-c\", \"reply_to\": "
				+ "{\"exchange\": \"reply.celery.pidbox\", \"routing_key\": \"oid-c\"}}", true);

		// the node subscribes once it drains events: publish until it answered
		Map<String, Object> got = pythonWhile(APP + """
				import socket, time
				handled = []
				def ping(state, **kwargs):
				    handled.append(kwargs)
				    return {'ok': 'pong'}
				with app.connection_for_write() as conn:
				    node = app.control.mailbox(conn).Node('py@h', handlers={'ping': ping}, channel=conn.default_channel)
				    consumer = node.listen()
				    deadline = time.time() + 30
				    while not handled and time.time() < deadline:
				        try:
				            conn.drain_events(timeout=1)
				        except socket.timeout:
				            pass
				    consumer.cancel()
				print(json.dumps({'handled': len(handled)}))
				""", () -> broker.publish(PIDBOX, "", request));

		assertThat((Integer) got.get("handled")).isPositive();
		Received reply = replies.await(1).get(0);
		assertThat(reply.routingKey()).isEqualTo("oid-c");
		assertThat(reply.message().headers()).containsEntry("ticket", "ticket-c").containsKey("clock");
		assertThat(map(MAPPER.readValue(reply.message().body(), Object.class)))
			.isEqualTo(Map.of("py@h", Map.of("ok", "pong")));
	}

	@Test
	void celeryEventsReachJava() {
		BroadcastRecorder events = new BroadcastRecorder();
		this.closeables.add(this.redis.broker().subscribe(EVENTS, queue("celeryev.java", "#"), events));

		python(APP + """
				with app.connection_for_write() as conn:
				    dispatcher = app.events.Dispatcher(conn, hostname='py@h')
				    dispatcher.send('worker-heartbeat', freq=2.0, active=0, processed=0)
				    dispatcher.send('task-succeeded', uuid='t-1', result='5', runtime=0.1)
				    dispatcher.close()
				print(json.dumps({'sent': True}))
				""");

		List<Received> received = events.await(2);
		assertThat(received).extracting(Received::routingKey).containsExactly("worker.heartbeat", "task.succeeded");
		Received heartbeat = received.get(0);
		assertThat(heartbeat.message().headers()).isEqualTo(Map.of("hostname", "py@h"));
		assertThat(heartbeat.message().persistent()).isFalse();
		assertThat(map(MAPPER.readValue(heartbeat.message().body(), Object.class)))
			.containsEntry("type", "worker-heartbeat")
			.containsEntry("hostname", "py@h")
			.containsEntry("freq", 2.0);
	}

	@Test
	void celeryEventReceiverGetsJavaEvents() {
		RedisBroker broker = this.redis.broker();
		String heartbeat = "{\"hostname\": \"java@h\", \"utcoffset\": 0, \"pid\": 4242, \"clock\": 7, \"freq\": 2.0, "
				+ "\"active\": 0, \"processed\": 0, \"loadavg\": [0.1, 0.2, 0.3], \"sw_ident\": \"taskqueue\", "
				+ "\"sw_ver\": \"1.0\", \"sw_sys\": \"Linux\", \"timestamp\": %d.5, \"type\": \"worker-heartbeat\"}";
		BroadcastMessage message = json(Map.of("hostname", "java@h"),
				heartbeat.formatted(System.currentTimeMillis() / 1000), false);

		// the receiver subscribes once it consumes: publish until it got one
		Map<String, Object> got = pythonWhile(APP + """
				got = []
				def on_event(event):
				    got.append(event)
				    receiver.should_stop = True
				with app.connection_for_read() as conn:
				    receiver = app.events.Receiver(conn, handlers={'*': on_event})
				    receiver.capture(timeout=30, wakeup=False)
				print(json.dumps({'event': got[0]}, default=str))
				""", () -> broker.publish(EVENTS, "worker.heartbeat", message));

		assertThat(map(got.get("event"))).containsEntry("type", "worker-heartbeat")
			.containsEntry("hostname", "java@h")
			.containsEntry("sw_ident", "taskqueue")
			.containsEntry("pid", 4242);
	}

	@Test
	void kombuPidboxReplyReachesJava() {
		BroadcastRecorder replies = new BroadcastRecorder();
		Subscription subscription = this.redis.broker()
			.subscribe(REPLIES, queue("oid-j.reply.celery.pidbox", "oid-j"), replies);
		this.closeables.add(subscription);

		python(APP + """
				with app.connection_for_write() as conn:
				    app.control.mailbox(conn)._publish_reply({'py@h': {'ok': 'pong'}}, 'reply.celery.pidbox',
				                                             'oid-j', 'ticket-1')
				print(json.dumps({'sent': True}))
				""");

		Received reply = replies.await(1).get(0);
		assertThat(reply.routingKey()).isEqualTo("oid-j");
		assertThat(reply.message().headers()).containsEntry("ticket", "ticket-1").containsKey("clock");
		assertThat(reply.message().persistent()).isFalse();
		assertThat(map(MAPPER.readValue(reply.message().body(), Object.class)))
			.isEqualTo(Map.of("py@h", Map.of("ok", "pong")));
		subscription.close();
		assertThat(this.redis.redis.smembers(this.redis.key("_kombu.binding.reply.celery.pidbox"))).isEmpty();
	}

	private static BroadcastQueue queue(String name, String bindingKey) {
		return RedisBroadcastsTests.queue(name, bindingKey);
	}

	private static BroadcastMessage json(Map<String, Object> headers, String body, boolean persistent) {
		return BroadcastRecorder.json(headers, body, persistent);
	}

	private Map<String, Object> python(String body) {
		return pythonWhile(body, () -> {
		});
	}

	/**
	 * Run a Python script to its end, doing something every 200 ms meanwhile, and return the
	 * JSON object of its last output line.
	 */
	private Map<String, Object> pythonWhile(String body, Runnable meanwhile) {
		String script = "import json, sys\nURL, PREFIX = sys.argv[1], sys.argv[2]\n" + body;
		return map(MAPPER.readValue(TestProcesses.pythonWhile(script, List.of(this.redis.url(), this.redis.prefix),
				meanwhile), Object.class));
	}

}
