package dev.taskqueue.broker.amqp;

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
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.amqp.AmqpTestSupport.MAPPER;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.list;
import static dev.taskqueue.broker.amqp.AmqpTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Celery 5.2.6, kombu 5.2.4 and py-amqp 5.1.1 themselves ({@code /usr/bin/python3}) on the
 * same RabbitMQ: each side consumes what the other published, and each declares the queues
 * the other declared first without {@code PRECONDITION_FAILED}.
 */
class AmqpBrokerCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String PYTHON_URL = "amqp://guest:guest@" + RabbitServer.HOST + ":" + RabbitServer.PORT
			+ "//";

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport();

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import celery, kombu, amqp"),
				"python3-celery is not installed (apt-get install -y python3-celery python3-amqp)");
	}

	@Test
	void kombuConsumesWhatJavaPublished() {
		String queue = this.rabbit.name("to-python");
		TaskMessage task = TaskMessageBuilder.task("tasks.add").id("java-task").args(List.of(2, 3))
			.kwargs(Map.of("z", 1)).replyTo("java-reply").priority(4).header("negative", -5L).build();
		this.rabbit.broker()
			.publish(new OutboundMessage(AmqpTestSupport.CODEC.encode(task), Destination.queue(queue)));
		Map<String, Object> got = python(queue, """
				from kombu import Connection
				with Connection(URL) as conn:
				    q = conn.SimpleQueue(QUEUE)
				    m = q.get(timeout=10)
				    out = {'payload': m.payload, 'headers': m.headers,
				           'types': {k: type(v).__name__ for k, v in m.headers.items()},
				           'properties': {k: v for k, v in m.properties.items() if k != 'application_headers'},
				           'content_type': m.content_type, 'content_encoding': m.content_encoding,
				           'delivery_info': {k: m.delivery_info[k] for k in ('exchange', 'routing_key', 'redelivered')}}
				    m.ack()
				    q.close()
				print(json.dumps(out))
				""");
		List<Object> payload = list(got.get("payload"));
		assertThat(payload).hasSize(3);
		assertThat(payload.subList(0, 2)).containsExactly(List.of(2, 3), Map.of("z", 1));
		assertThat(map(payload.get(2))).containsOnlyKeys("callbacks", "errbacks", "chain", "chord");
		assertThat(map(got.get("headers"))).containsEntry("task", "tasks.add").containsEntry("id", "java-task")
			.containsEntry("retries", 0).containsEntry("negative", -5)
			.containsEntry("timelimit", java.util.Arrays.asList(null, null));
		assertThat(map(got.get("types"))).containsEntry("task", "str").containsEntry("eta", "NoneType")
			.containsEntry("retries", "int").containsEntry("ignore_result", "bool").containsEntry("timelimit", "list");
		assertThat(map(got.get("properties"))).containsEntry("correlation_id", "java-task")
			.containsEntry("reply_to", "java-reply").containsEntry("delivery_mode", 2).containsEntry("priority", 4);
		assertThat(got).containsEntry("content_type", "application/json").containsEntry("content_encoding", "utf-8");
		assertThat(map(got.get("delivery_info"))).containsEntry("exchange", "").containsEntry("routing_key", queue);
		assertThat(this.rabbit.broker().size(queue)).isZero();
	}

	@Test
	void celeryWorkerRunsWhatJavaPublished() throws Exception {
		String queue = this.rabbit.name("worker");
		Path dir = Files.createTempDirectory("celery-worker");
		Path result = dir.resolve("result.json");
		Path script = dir.resolve("worker.py");
		Files.writeString(script, """
				import json, sys
				from celery import Celery
				URL, QUEUE, OUT = sys.argv[1:4]
				app = Celery('interop', broker=URL)

				@app.task(name='tasks.add')
				def add(x, y, z=0):
				    with open(OUT + '.tmp', 'w') as f:
				        json.dump({'result': x + y + z, 'retries': add.request.retries,
				                   'delivery_info': add.request.delivery_info}, f)
				    import os
				    os.rename(OUT + '.tmp', OUT)
				    return x + y + z

				app.worker_main(['worker', '-P', 'solo', '-Q', QUEUE, '-c', '1', '--without-mingle',
				                 '--without-gossip', '--without-heartbeat', '-l', 'WARNING'])
				""", StandardCharsets.UTF_8);
		String log;
		Process worker = new ProcessBuilder(PYTHON, script.toString(), PYTHON_URL, queue, result.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("worker.log").toFile())
			.start();
		try {
			TaskMessage task = TaskMessageBuilder.task("tasks.add").id("java-to-worker").args(List.of(2, 3))
				.kwargs(Map.of("z", 1)).build();
			this.rabbit.broker()
				.publish(new OutboundMessage(AmqpTestSupport.CODEC.encode(task), Destination.queue(queue)));
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(result));
			Map<String, Object> ran = map(MAPPER.readValue(Files.readString(result), Object.class));
			assertThat(ran).containsEntry("result", 6).containsEntry("retries", 0);
			assertThat(map(ran.get("delivery_info"))).containsEntry("routing_key", queue);
			// Celery 5.2 sends the early ack a moment after the task started: a worker stopped
			// at once would give the message back (it does the same with messages Python sent)
			TestProcesses.sleep(1000);
		}
		catch (AssertionError | RuntimeException ex) {
			throw new AssertionError("Celery worker log:\n" + Files.readString(dir.resolve("worker.log")), ex);
		}
		finally {
			worker.destroy();
			if (!worker.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				worker.destroyForcibly();
			}
			log = Files.readString(dir.resolve("worker.log"));
			try (var files = Files.list(dir)) {
				files.forEach((file) -> file.toFile().delete());
			}
			Files.deleteIfExists(dir);
		}
		assertThat(this.rabbit.broker().size(queue)).as(log).isZero();
	}

	@Test
	void javaConsumesWhatCeleryPublished() {
		String queue = this.rabbit.name("from-python");
		Map<String, Object> sent = python(queue, """
				from celery import Celery
				app = Celery('interop', broker=URL)
				result = app.send_task('tasks.add', args=(2, 3), kwargs={'z': 1}, queue=QUEUE, priority=6,
				                       expires=120, headers={'custom': 'h'})
				print(json.dumps({'id': result.id}))
				""");
		RecordingHandler handler = new RecordingHandler();
		AmqpBroker broker = this.rabbit.broker();
		try (Consumption consumption = broker.consume(new ConsumerSettings(List.of(queue), 2), handler)) {
			Delivery delivery = handler.await(1).get(0);
			TaskMessage message = delivery.message();
			assertThat(message.id()).isEqualTo(sent.get("id"));
			assertThat(message.task()).isEqualTo("tasks.add");
			assertThat(message.args()).containsExactly(2, 3);
			assertThat(message.kwargs()).containsEntry("z", 1);
			assertThat(message.headers().expires()).isNotNull();
			assertThat(message.headers().origin()).startsWith("gen");
			assertThat(message.headers().extra()).containsEntry("custom", "h");
			assertThat(message.properties().priority()).isEqualTo(6);
			assertThat(message.properties().correlationId()).isEqualTo(sent.get("id"));
			assertThat(message.properties().replyTo()).isNotBlank();
			assertThat(Long.parseLong(message.properties().expiration())).isBetween(100_000L, 120_000L);
			assertThat(delivery.queue()).isEqualTo(queue);
			assertThat(delivery.redelivered()).isFalse();
			delivery.ack();
		}
		assertThat(broker.size(queue)).isZero();
	}

	@Test
	void pythonDeclaresFirstThenJava() {
		String queue = this.rabbit.name("python-first");
		String priorityQueue = this.rabbit.name("python-first-priority");
		python(queue, """
				from celery import Celery
				app = Celery('interop', broker=URL)
				app.send_task('tasks.add', args=(1, 1), queue=QUEUE)
				priority_app = Celery('interop-priority', broker=URL)
				priority_app.conf.task_queue_max_priority = 10
				priority_app.send_task('tasks.add', args=(1, 1), queue=QUEUE + '-priority')
				print(json.dumps({}))
				""");
		QueueSpec priority = new QueueSpec(priorityQueue, priorityQueue, ExchangeType.DIRECT, priorityQueue, true, 10);
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL,
				Map.of(priorityQueue, priority), true, Duration.ofSeconds(10)));
		RecordingHandler handler = new RecordingHandler();
		ConsumerSettings settings = new ConsumerSettings(List.of(queue, priorityQueue), 4);
		try (Consumption consumption = broker.consume(settings, handler)) {
			handler.await(2).forEach(Delivery::ack);
		}
		broker.publish(AmqpTestSupport.message(queue, "java", 0));
		broker.publish(AmqpTestSupport.message(new QueueSpec(priorityQueue, priorityQueue, ExchangeType.DIRECT,
				priorityQueue, true, 10), "java", 0));
		assertThat(broker.size(queue)).isEqualTo(1);
		assertThat(broker.size(priorityQueue)).isEqualTo(1);
	}

	@Test
	void javaDeclaresFirstThenPython() {
		String queue = this.rabbit.name("java-first");
		String priorityQueue = this.rabbit.name("java-first-priority");
		AmqpBroker broker = this.rabbit.broker();
		broker.publish(AmqpTestSupport.message(queue, "java", 0));
		broker.publish(AmqpTestSupport.message(new QueueSpec(priorityQueue, priorityQueue, ExchangeType.DIRECT,
				priorityQueue, true, 10), "java", 0));
		Map<String, Object> got = python(queue, """
				from celery import Celery
				from kombu import Connection, Exchange, Queue
				app = Celery('interop', broker=URL)
				app.send_task('tasks.add', args=(1, 1), queue=QUEUE)
				priority_app = Celery('interop-priority', broker=URL)
				priority_app.conf.task_queue_max_priority = 10
				priority_app.send_task('tasks.add', args=(1, 1), queue=QUEUE + '-priority')
				with Connection(URL) as conn:
				    # a worker's declaration of the queues it consumes
				    for name, priority in ((QUEUE, None), (QUEUE + '-priority', 10)):
				        entity = Queue(name, Exchange(name, 'direct'), routing_key=name, max_priority=priority)
				        entity(conn.default_channel).declare()
				print(json.dumps({'ok': True}))
				""");
		assertThat(got).containsEntry("ok", true);
		assertThat(broker.size(queue)).isEqualTo(2);
		assertThat(broker.size(priorityQueue)).isEqualTo(2);
	}

	private Map<String, Object> python(String queue, String body) {
		String script = "import json, sys\nURL, QUEUE = sys.argv[1], sys.argv[2]\n" + body;
		try {
			Path file = Files.createTempFile("celery-amqp-interop", ".py");
			try {
				Files.writeString(file, script, StandardCharsets.UTF_8);
				TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), PYTHON, file.toString(),
						PYTHON_URL, queue);
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
