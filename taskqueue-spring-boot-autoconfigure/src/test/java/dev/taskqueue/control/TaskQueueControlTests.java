package dev.taskqueue.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TaskQueueControl} and {@link Inspector}: the arguments Celery's
 * {@code app.control} sends, and the typed replies read from what Celery workers replied.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskQueueControlTests {

	private static final Duration SHORT = Duration.ofMillis(200);

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final TaskQueueControl control = new TaskQueueControl(this.broker, new LamportClock()).timeout(SHORT);

	private final Map<String, Object> results = PidboxFixtures.load("amqp/_results.json");

	private PidboxNode node = new PidboxNode(this.broker, new LamportClock(), "unused@test", Map.of());

	@AfterEach
	void close() {
		this.node.close();
	}

	@Test
	void sendsTheArgumentsOfPythonsAppControl() throws Exception {
		BlockingQueue<String> requests = new LinkedBlockingQueue<>();
		try (Subscription spy = this.broker.subscribe(new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false),
				new BroadcastQueue("spy.celery.pidbox", "", Map.of()), (key, message) -> requests
					.add(new String(message.body(), StandardCharsets.UTF_8).replaceAll(", \"ticket\".*", "}")))) {
			assertArguments(requests, (c) -> c.revoke("id1", false), "{\"task_id\": \"id1\", \"terminate\": false, \"signal\": \"SIGTERM\"}");
			assertArguments(requests, (c) -> c.revoke(List.of("a", "b"), true, "SIGKILL"),
					"{\"task_id\": [\"a\", \"b\"], \"terminate\": true, \"signal\": \"SIGKILL\"}");
			assertArguments(requests, (c) -> c.broadcast(List.of("x"), true),
					"{\"task_id\": [\"x\"], \"terminate\": true, \"signal\": \"SIGTERM\"}");
			assertArguments(requests, (c) -> c.rateLimit("tasks.add", "10/m"),
					"{\"task_name\": \"tasks.add\", \"rate_limit\": \"10/m\"}");
			assertArguments(requests, (c) -> c.timeLimit("tasks.add", 10, 20.5),
					"{\"task_name\": \"tasks.add\", \"hard\": 20.5, \"soft\": 10}");
			assertArguments(requests, (c) -> c.addConsumer("q1"),
					"{\"queue\": \"q1\", \"exchange\": null, \"exchange_type\": \"direct\", \"routing_key\": null}");
			assertArguments(requests, (c) -> c.cancelConsumer("q1"), "{\"queue\": \"q1\"}");
			assertArguments(requests, TaskQueueControl::enableEvents, "{}");
			assertArguments(requests, TaskQueueControl::disableEvents, "{}");
			assertArguments(requests, TaskQueueControl::heartbeat, "{}");
			assertArguments(requests, TaskQueueControl::shutdownWorkers, "{}");
			assertArguments(requests, (c) -> c.poolGrow(2), "{\"n\": 2}");
			assertArguments(requests, (c) -> c.poolShrink(1), "{\"n\": 1}");
			assertArguments(requests, (c) -> c.autoscale(10, 3), "{\"max\": 10, \"min\": 3}");
			assertArguments(requests, TaskQueueControl::ping, "{}");
			assertArguments(requests, (c) -> c.inspect().active(), "{\"safe\": null}");
			assertArguments(requests, (c) -> c.inspect().registered(), "{\"taskinfoitems\": []}");
			assertArguments(requests, (c) -> c.inspect().queryTask("a", "b"), "{\"ids\": [\"a\", \"b\"]}");
			assertArguments(requests, (c) -> c.inspect().conf(), "{\"with_defaults\": false}");
			assertArguments(requests, (c) -> c.inspect().stats(), "{}");
			assertThat(requests.poll(300, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void castsHaveNoTicketAndDestinationsAreSent() throws Exception {
		BlockingQueue<String> requests = new LinkedBlockingQueue<>();
		try (Subscription spy = this.broker.subscribe(new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false),
				new BroadcastQueue("spy.celery.pidbox", "", Map.of()),
				(key, message) -> requests.add(new String(message.body(), StandardCharsets.UTF_8)))) {
			this.control.destination("w1@vm", "w2@vm").heartbeat();
			assertThat(requests.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"method\": \"heartbeat\", \"arguments\": {}, "
					+ "\"destination\": [\"w1@vm\", \"w2@vm\"], \"pattern\": null, \"matcher\": null}");
			this.control.matching("w*", "glob").shutdownWorkers();
			assertThat(requests.poll(5, TimeUnit.SECONDS)).isEqualTo(
					"{\"method\": \"shutdown\", \"arguments\": {}, \"destination\": null, \"pattern\": \"w*\", \"matcher\": \"glob\"}");
		}
	}

	@Test
	void readsCelerysStatsActiveAndPing() {
		Map<String, Object> stats = PidboxFixtures.map(PidboxFixtures.map(this.results.get("stats")).get("evamqp@vm"));
		Object active = PidboxFixtures.map(this.results.get("active")).get("evamqp@vm");
		this.node = new PidboxNode(this.broker, new LamportClock(), "evamqp@vm", Map.of("stats", (arguments) -> stats,
				"active", (arguments) -> active, "ping", (arguments) -> Map.of("ok", "pong")));
		this.node.start();
		Inspector inspect = this.control.inspect().destination("evamqp@vm");
		assertThat(inspect.stats().get("evamqp@vm")).satisfies((worker) -> {
			assertThat(worker.total()).containsEntry("labapp.flaky", 2L).hasSize(4);
			assertThat(worker.pid()).isEqualTo(21865L);
			assertThat(worker.clock()).isEqualTo(27L);
			assertThat(worker.uptime()).isEqualTo(10L);
			assertThat(worker.prefetchCount()).isEqualTo(8L);
			assertThat(worker.maxConcurrency()).isEqualTo(2L);
			assertThat(worker.broker()).containsEntry("transport", "amqp");
			assertThat(worker.raw()).containsKey("rusage");
		});
		assertThat(inspect.active().get("evamqp@vm")).singleElement()
			.satisfies((task) -> assertThat(task.timeStart()).isEqualTo(1795281265.7359438));
		assertThat(inspect.ping().get("evamqp@vm").ok()).isEqualTo("pong");
	}

	@Test
	void readsTheOtherInspectReplies() {
		Map<String, Object> request = Map.of("id", "t1", "name", "tasks.add", "args", List.of(1, 1), "kwargs", Map.of(),
				"type", "tasks.add", "hostname", "w@test", "acknowledged", false);
		start(Map.of("scheduled",
				(arguments) -> List.of(Map.of("eta", "2026-11-21T17:08:35.434804+00:00", "priority", 6, "request", request)),
				"reserved", (arguments) -> List.of(request), "revoked", (arguments) -> List.of("r1"), "registered",
				(arguments) -> List.of("tasks.add"), "clock", (arguments) -> Map.of("clock", 70), "conf",
				(arguments) -> Map.of("broker_url", "memory://"), "report", (arguments) -> Map.of("ok", "text"),
				"query_task", (arguments) -> Map.of("t1", List.of("reserved", request)), "active_queues",
				(arguments) -> List.of(Map.of("name", "celery", "exchange", Map.of("name", "celery", "type", "direct"),
						"routing_key", "celery", "durable", true))));
		Inspector inspect = this.control.inspect().destination("w@test");
		assertThat(inspect.scheduled().get("w@test")).singleElement().satisfies((task) -> {
			assertThat(task.priority()).isEqualTo(6);
			assertThat(task.eta()).isEqualTo("2026-11-21T17:08:35.434804+00:00");
			assertThat(task.request().id()).isEqualTo("t1");
			assertThat(task.request().timeStart()).isNull();
		});
		assertThat(inspect.reserved().get("w@test")).extracting(TaskInfo::name).containsExactly("tasks.add");
		assertThat(inspect.revoked()).containsExactly(Map.entry("w@test", List.of("r1")));
		assertThat(inspect.registered()).containsExactly(Map.entry("w@test", List.of("tasks.add")));
		assertThat(inspect.clock()).containsExactly(Map.entry("w@test", 70L));
		assertThat(inspect.conf().get("w@test")).containsEntry("broker_url", "memory://");
		assertThat(inspect.report()).containsExactly(Map.entry("w@test", "text"));
		assertThat(inspect.queryTask("t1").get("w@test").get("t1").state()).isEqualTo("reserved");
		assertThat(inspect.activeQueues().get("w@test")).singleElement().satisfies((queue) -> {
			assertThat(queue.name()).isEqualTo("celery");
			assertThat(queue.exchange()).isEqualTo("celery");
			assertThat(queue.exchangeType()).isEqualTo("direct");
			assertThat(queue.durable()).isTrue();
		});
	}

	@Test
	void aReplyOfTheWrongShapeIsLeftOutAndTheOthersKept(CapturedOutput output) {
		start(Map.of("stats", (arguments) -> Map.of("pid", 1, "total", Map.of("a", 1))));
		try (PidboxNode bad = new PidboxNode(this.broker, new LamportClock(), "bad@test",
				Map.of("stats", (arguments) -> "nonsense"))) {
			bad.start();
			Map<String, WorkerStats> stats = this.control.inspect().destination("w@test", "bad@test").stats();
			assertThat(stats).containsOnlyKeys("w@test");
			assertThat(stats.get("w@test").total()).containsEntry("a", 1L);
			assertThat(output).contains("Reply of bad@test to 'stats' left out: stats is not an object");
		}
	}

	@Test
	void anErrorReplyIsAControlReply() {
		start(Map.of());
		assertThat(this.control.destination("w@test").rateLimit("tasks.add", null).get("w@test")).satisfies((reply) -> {
			assertThat(reply.isOk()).isFalse();
			assertThat(reply.error()).isEqualTo("KeyError('rate_limit')");
		});
	}

	@Test
	void refusesInvalidArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.revoke((String) null, false))
			.withMessageContaining("'taskId'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.revoke(List.of(), false, "SIGTERM"))
			.withMessageContaining("'taskIds'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.inspect(Duration.ZERO))
			.withMessageContaining("'timeout' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.timeout(Duration.ofSeconds(-1)))
			.withMessageContaining("'timeout' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.destination())
			.withMessageContaining("'nodes'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.matching("w*", "regex"))
			.withMessageContaining("'glob' or 'pcre'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.poolGrow(0))
			.withMessageContaining("'n' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> this.control.inspect().queryTask())
			.withMessageContaining("'ids'");
	}

	private void start(Map<String, ControlCommand> commands) {
		this.node = new PidboxNode(this.broker, new LamportClock(), "w@test", commands);
		this.node.start();
	}

	private void assertArguments(BlockingQueue<String> requests, Consumer<TaskQueueControl> call, String arguments)
			throws InterruptedException {
		call.accept(this.control);
		String request = requests.poll(5, TimeUnit.SECONDS);
		assertThat(request).contains("\"arguments\": " + arguments + ", \"destination\"");
	}

}
