package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.amqp.AmqpBroadcastsTests.Received;
import dev.taskqueue.broker.amqp.AmqpBroadcastsTests.Recorder;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.amqp.AmqpTestSupport.MAPPER;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.list;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Celery 5.2.6 and kombu 5.2.4 themselves ({@code /usr/bin/python3}) and the broadcast
 * transport of {@link AmqpBroker} on the same RabbitMQ: events both ways, a remote-control
 * request from {@code app.control.ping} answered by a Java node, and the mailbox queue
 * declared by either side first. Python uses a control exchange and an event exchange of
 * this test ({@code control_exchange}, {@code event_exchange}), not Celery's shared ones.
 */
class AmqpBroadcastsCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final Map<String, Object> PIDBOX_ARGUMENTS = Map.of("x-expires", 10_000L, "x-message-ttl",
			300_000L);

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("amqpbc-");

	private final List<String> exchanges = new ArrayList<>();

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import celery, kombu, amqp"),
				"python3-celery is not installed (apt-get install -y python3-celery python3-amqp)");
	}

	@AfterEach
	void deleteExchanges() throws Exception {
		try (Connection connection = RabbitServer.rawConnection("amqpbc-cleanup");
				Channel channel = connection.createChannel()) {
			for (String exchange : this.exchanges) {
				channel.exchangeDelete(exchange);
			}
		}
	}

	@Test
	void celeryEventReachesJavaSubscription() {
		String eventExchange = this.rabbit.name("celeryev");
		BroadcastExchange exchange = new BroadcastExchange(eventExchange, ExchangeType.TOPIC, true);
		Recorder recorder = new Recorder();
		try (Subscription subscription = this.rabbit.broker()
			.subscribe(exchange, new BroadcastQueue(this.rabbit.name("celeryev.java"), "#",
					Map.of("x-message-ttl", 5000L, "x-expires", 60_000L)), recorder)) {
			python(List.of(eventExchange), """
					from celery import Celery
					app = Celery('interop', broker=URL)
					app.conf.event_exchange = ARGS[0]
					app.conf.control_exchange = ARGS[0] + '-ctl'
					with app.connection_for_write() as conn:
					    with app.events.Dispatcher(conn, hostname='py@amqpbc') as dispatcher:
					        dispatcher.send('worker-heartbeat', freq=2.0, active=0, processed=3)
					print(json.dumps({}))
					""");
			Received received = recorder.expect(1).get(0);
			assertThat(received.routingKey()).isEqualTo("worker.heartbeat");
			BroadcastMessage message = received.message();
			assertThat(message.contentType()).isEqualTo("application/json");
			assertThat(message.contentEncoding()).isEqualTo("utf-8");
			assertThat(message.persistent()).isFalse();
			assertThat(message.headers()).containsEntry("hostname", "py@amqpbc");
			Map<String, Object> event = map(MAPPER.readValue(message.body(), Object.class));
			assertThat(event).containsEntry("type", "worker-heartbeat").containsEntry("hostname", "py@amqpbc")
				.containsEntry("processed", 3).containsKeys("clock", "timestamp", "utcoffset", "pid");
		}
	}

	@Test
	void javaEventReachesCeleryReceiver() throws Exception {
		String eventExchange = this.rabbit.name("celeryev-receiver");
		Path dir = Files.createTempDirectory("amqpbc-receiver");
		Path ready = dir.resolve("ready");
		Process receiver = start(dir, List.of(eventExchange, ready.toString()), """
				from celery import Celery
				app = Celery('interop', broker=URL)
				app.conf.event_exchange = ARGS[0]
				app.conf.control_exchange = ARGS[0] + '-ctl'
				got = []
				with app.connection_for_read() as conn:
				    recv = app.events.Receiver(conn, routing_key='worker.#', queue_prefix=ARGS[0] + '.py')
				    def on_event(event):
				        got.append(event)
				        recv.should_stop = True
				    recv.handlers = {'*': on_event}
				    def on_consume_ready(*args, **kwargs):
				        open(ARGS[1], 'w').close()
				    recv.on_consume_ready = on_consume_ready
				    recv.capture(timeout=30, wakeup=False)
				print(json.dumps(got))
				""");
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready) || !receiver.isAlive());
			BroadcastExchange exchange = new BroadcastExchange(eventExchange, ExchangeType.TOPIC, true);
			String body = """
					{"hostname": "java@amqpbc", "utcoffset": 0, "pid": 42, "clock": 7, "freq": 2.0, "active": 1,
					 "processed": 5, "loadavg": [0.1, 0.2, 0.3], "sw_ident": "taskqueue", "sw_ver": "1.0",
					 "sw_sys": "Linux", "timestamp": 1764950000.5, "type": "worker-heartbeat"}""";
			this.rabbit.broker().publish(exchange, "worker.heartbeat",
					AmqpBroadcastsTests.message(Map.of("hostname", "java@amqpbc"), body, false));
			List<Object> events = list(finish(receiver, dir));
			assertThat(events).hasSize(1);
			assertThat(map(events.get(0))).containsEntry("type", "worker-heartbeat")
				.containsEntry("hostname", "java@amqpbc").containsEntry("processed", 5).containsEntry("clock", 7)
				.containsKey("local_received");
		}
		finally {
			receiver.destroyForcibly();
			deleteDirectory(dir);
		}
	}

	@Test
	void javaNodeAnswersCeleryPing() {
		String namespace = this.rabbit.name("ctl");
		String node = "java@" + namespace;
		BroadcastExchange requests = new BroadcastExchange(namespace + ".pidbox", ExchangeType.FANOUT, false);
		this.exchanges.add(requests.name());
		this.exchanges.add("reply." + namespace + ".pidbox");
		AmqpBroker broker = this.rabbit.broker();
		List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = broker.subscribe(requests,
				new BroadcastQueue(node + "." + requests.name(), "", PIDBOX_ARGUMENTS), (routingKey, message) -> {
					Map<String, Object> request = map(MAPPER.readValue(message.body(), Object.class));
					seen.add(Map.of("request", request, "headers", message.headers(), "persistent",
							message.persistent()));
					Map<String, Object> replyTo = map(request.get("reply_to"));
					byte[] reply = MAPPER.writeValueAsBytes(Map.of(node, Map.of("ok", "pong")));
					broker.publish(
							new BroadcastExchange((String) replyTo.get("exchange"), ExchangeType.DIRECT, false),
							(String) replyTo.get("routing_key"),
							new BroadcastMessage(Map.of("ticket", request.get("ticket"), "clock", 2),
									"application/json", "utf-8", reply, false));
				})) {
			Object replies = python(List.of(namespace, node), """
					from celery import Celery
					app = Celery('interop', broker=URL)
					app.conf.control_exchange = ARGS[0]
					print(json.dumps(app.control.ping(destination=[ARGS[1]], timeout=20)))
					""");
			assertThat(list(replies)).containsExactly(Map.of(node, Map.of("ok", "pong")));
			assertThat(seen).hasSize(1);
			assertThat(map(seen.get(0).get("request"))).containsEntry("method", "ping")
				.containsEntry("destination", List.of(node));
			assertThat(map(seen.get(0).get("headers"))).containsKeys("clock", "expires");
			assertThat(seen.get(0)).containsEntry("persistent", true);
		}
	}

	@Test
	void celeryDeclaresTheMailboxJavaConsumes() {
		String namespace = this.rabbit.name("ctl-java-first");
		String node = "java@" + namespace;
		BroadcastExchange requests = new BroadcastExchange(namespace + ".pidbox", ExchangeType.FANOUT, false);
		this.exchanges.add(requests.name());
		try (Subscription subscription = this.rabbit.broker()
			.subscribe(requests, new BroadcastQueue(node + "." + requests.name(), "", PIDBOX_ARGUMENTS),
					new Recorder())) {
			Map<String, Object> declared = map(python(List.of(namespace, node), """
					import warnings
					from celery import Celery
					app = Celery('interop', broker=URL)
					app.conf.control_exchange = ARGS[0]
					with app.connection_for_write() as conn:
					    with warnings.catch_warnings(record=True) as caught:
					        warnings.simplefilter('always')
					        consumer = app.control.mailbox.Node(ARGS[1]).listen(channel=conn.default_channel)
					        consumer.cancel()
					print(json.dumps({'warnings': [str(w.message) for w in caught]}))
					"""));
			assertThat(list(declared.get("warnings"))).anySatisfy((warning) -> assertThat((String) warning)
				.contains("A node named " + node + " is already using this process mailbox"));
		}
	}

	@Test
	void javaConsumesTheMailboxCeleryDeclared() {
		String namespace = this.rabbit.name("ctl-python-first");
		String node = "java@" + namespace;
		BroadcastExchange requests = new BroadcastExchange(namespace + ".pidbox", ExchangeType.FANOUT, false);
		this.exchanges.add(requests.name());
		String queue = node + "." + requests.name();
		python(List.of(namespace, node), """
				from celery import Celery
				app = Celery('interop', broker=URL)
				app.conf.control_exchange = ARGS[0]
				with app.connection_for_write() as conn:
				    app.control.mailbox.get_queue(ARGS[1])(conn.default_channel).declare()
				print(json.dumps({}))
				""");
		Recorder recorder = new Recorder();
		AmqpBroker broker = this.rabbit.broker();
		try (Subscription subscription = broker.subscribe(requests, new BroadcastQueue(queue, "", PIDBOX_ARGUMENTS),
				recorder)) {
			broker.publish(requests, "",
					AmqpBroadcastsTests.message(Map.of("clock", 1), "{\"method\": \"ping\"}", true));
			assertThat(recorder.expect(1)).extracting(Received::routingKey).containsExactly("");
		}
		assertThat(this.rabbit.admin.getQueueInfo(queue)).isNull();
	}

	private Object python(List<String> arguments, String body) {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script(body), RabbitServer.URL));
		command.addAll(arguments);
		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), command);
		assertThat(result.exit()).as(result.output()).isZero();
		String[] lines = result.stdout().trim().split("\n");
		return MAPPER.readValue(lines[lines.length - 1], Object.class);
	}

	private static String script(String body) {
		return "import json, sys\nURL, ARGS = sys.argv[1], sys.argv[2:]\n" + body;
	}

	private static Process start(Path dir, List<String> arguments, String body) throws IOException {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script(body), RabbitServer.URL));
		command.addAll(arguments);
		return new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
			.redirectError(dir.resolve("err").toFile())
			.start();
	}

	private static Object finish(Process process, Path dir) throws Exception {
		boolean exited = process.waitFor(60, TimeUnit.SECONDS);
		String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
		String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
		assertThat(exited && process.exitValue() == 0).as(out + err).isTrue();
		String[] lines = out.trim().split("\n");
		return MAPPER.readValue(lines[lines.length - 1], Object.class);
	}

	private static void deleteDirectory(Path dir) throws IOException {
		try (var files = Files.list(dir)) {
			files.forEach((file) -> file.toFile().delete());
		}
		Files.deleteIfExists(dir);
	}

}
