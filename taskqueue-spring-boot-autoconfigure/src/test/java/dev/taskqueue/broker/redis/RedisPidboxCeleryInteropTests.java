package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.control.ControlCommandException;
import dev.taskqueue.control.PidboxNode;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.control.WorkerStats;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static dev.taskqueue.broker.redis.RedisTestSupport.MAPPER;
import static dev.taskqueue.broker.redis.RedisTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Remote control between Java and Celery 5.2.6 / kombu 5.2.4 ({@code /usr/bin/python3}) on
 * Redis: Python's {@code app.control} asks a {@link PidboxNode}, and
 * {@link TaskQueueControl} asks kombu's own pidbox {@code Node}. Database 7, with a kombu
 * {@code global_keyprefix} of the test's own, which also prefixes the pub/sub channels.
 * Skipped until the Redis broker carries broadcast traffic.
 */
class RedisPidboxCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String APP = """
			import json, socket, sys, time
			from celery import Celery
			URL, PREFIX, NODE = sys.argv[1], sys.argv[2], sys.argv[3]
			app = Celery('interop', broker=URL)
			app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
			""";

	@RegisterExtension
	final RedisTestSupport redis = new RedisTestSupport(RedisServer.PORT, 7);

	private final String node = "java-" + UUID.randomUUID().toString().substring(0, 8) + "@pidbox";

	private PidboxNode pidboxNode;

	@BeforeAll
	static void celeryIsInstalled() {
		assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import kombu, celery, redis"),
				"python3-celery is not installed (apt-get install -y python3-celery python3-redis)");
	}

	@AfterEach
	void close() {
		if (this.pidboxNode != null) {
			this.pidboxNode.close();
		}
	}

	@Test
	void celeryInspectIsAnsweredByAPidboxNode() {
		Map<String, ControlCommand> commands = Map.of("ping", (arguments) -> Map.of("ok", "pong"), "stats",
				(arguments) -> Map.of("total", Map.of("tasks.add", 3), "pid", 42, "clock", "7"), "fail", (arguments) -> {
					throw new ControlCommandException("ValueError", "bad value");
				});
		this.pidboxNode = new PidboxNode(transport(), new LamportClock(), this.node, commands);
		this.pidboxNode.start();

		Map<String, Object> got = python(APP + """
				print(json.dumps({
				    'ping': app.control.inspect(timeout=1).ping(),
				    'stats': app.control.inspect(timeout=1, destination=[NODE]).stats(),
				    'unknown': app.control.broadcast('nosuchcmd', reply=True, timeout=1, destination=[NODE]),
				    'fail': app.control.broadcast('fail', reply=True, timeout=1, destination=[NODE]),
				}))
				""", () -> null);

		assertThat(map(got.get("ping"))).containsEntry(this.node, Map.of("ok", "pong"));
		assertThat(map(map(got.get("stats")).get(this.node))).containsEntry("pid", 42).containsEntry("clock", "7");
		assertThat(got.get("unknown")).isEqualTo(List.of(Map.of(this.node, Map.of("error", "KeyError('nosuchcmd')"))));
		assertThat(got.get("fail")).isEqualTo(List.of(Map.of(this.node, Map.of("error", "ValueError('bad value')"))));
	}

	@Test
	void taskQueueControlAsksKombusPidboxNode() {
		TaskQueueControl control = new TaskQueueControl(transport(), new LamportClock()).timeout(Duration.ofSeconds(1));
		String pythonNode = "py-" + UUID.randomUUID().toString().substring(0, 8) + "@pidbox";
		AtomicReference<Map<String, WorkerStats>> stats = new AtomicReference<>();

		// kombu's node listens once the script runs: ask until it answered both
		Map<String, Object> got = python(APP + """
				NODE = sys.argv[4]
				answered = set()
				def ping(state, **kwargs):
				    answered.add('ping')
				    return {'ok': 'pong'}
				def stats(state, **kwargs):
				    answered.add('stats')
				    return {'total': {'tasks.add': 5}, 'pid': 11972, 'clock': '41', 'uptime': 13,
				            'pool': {'max-concurrency': 4}, 'broker': {'transport': 'redis'}, 'prefetch_count': 8}
				with app.connection_for_write() as conn:
				    node = app.control.mailbox.Node(NODE, state=None, channel=conn.default_channel,
				                                    handlers={'ping': ping, 'stats': stats})
				    node.listen()
				    deadline = time.time() + 40
				    while len(answered) < 2 and time.time() < deadline:
				        try:
				            conn.drain_events(timeout=1)
				        except socket.timeout:
				            pass
				print(json.dumps({'answered': sorted(answered)}))
				""", () -> {
			if (control.destination(pythonNode).ping().containsKey(pythonNode)) {
				stats.set(control.inspect().destination(pythonNode).stats());
			}
			return null;
		}, pythonNode);

		assertThat(got.get("answered")).isEqualTo(List.of("ping", "stats"));
		assertThat(stats.get().get(pythonNode)).satisfies((worker) -> {
			assertThat(worker.total()).containsEntry("tasks.add", 5L);
			assertThat(worker.clock()).isEqualTo(41L);
			assertThat(worker.maxConcurrency()).isEqualTo(4L);
			assertThat(worker.prefetchCount()).isEqualTo(8L);
		});
	}

	private BroadcastTransport transport() {
		Object broker = this.redis.broker();
		assumeTrue(broker instanceof BroadcastTransport, "the Redis broker carries no broadcast traffic yet");
		return (BroadcastTransport) broker;
	}

	// Run a Python script to its end, calling meanwhile every 200 ms, and read its last line
	private Map<String, Object> python(String script, Supplier<Object> meanwhile, String... extra) {
		List<String> args = new ArrayList<>(List.of(this.redis.url(), this.redis.prefix, this.node));
		args.addAll(List.of(extra));
		return map(MAPPER.readValue(TestProcesses.pythonWhile(script, args, meanwhile::get), Object.class));
	}

}
