package dev.taskqueue.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.taskqueue.events.RecordingBroadcastTransport.Published;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The message bodies Java sends, read by Celery itself ({@code python3} with Debian's Celery
 * 5.2.6): its {@code EventReceiver} takes each body, a single event or a {@code task.multi}
 * list, as it does from the broker, into {@code celery.events.state.State}, which must see
 * the worker alive with its numbers and each task in its final state.
 */
class EventCeleryStateTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String SCRIPT = """
			import json, sys
			from celery import Celery
			from celery.events.state import State
			app = Celery('interop', broker='memory://')
			state = State()
			receiver = app.events.Receiver(app.connection(), handlers={'*': state.event})
			with open(sys.argv[1]) as bodies:
			    for line in bodies:
			        receiver._receive(json.loads(line), None)
			worker = state.workers.get(sys.argv[2])
			out = {'workers': list(state.workers.keys()), 'alive': bool(worker and worker.alive)}
			if worker:
			    out.update(freq=worker.freq, active=worker.active, processed=worker.processed,
			               loadavg=list(worker.loadavg), sw_ident=worker.sw_ident, sw_sys=worker.sw_sys,
			               heartbeats=len(worker.heartbeats))
			out['tasks'] = {t.uuid: {'state': t.state, 'name': t.name, 'args': t.args, 'kwargs': t.kwargs,
			                         'result': t.result, 'runtime': t.runtime, 'exception': t.exception,
			                         'worker': t.worker.hostname if t.worker else None,
			                         'routing_key': t.routing_key}
			                for t in state.tasks.values()}
			print(json.dumps(out))
			""";

	@TempDir
	static Path directory;

	private static Path script;

	@BeforeAll
	static void setUp() throws IOException {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery"),
				"python3 with celery is not installed");
		script = Files.writeString(directory.resolve("state.py"), SCRIPT);
	}

	@Test
	void celeryStateSeesTheWorkerAliveAndEachTaskInItsState() throws IOException {
		RecordingBroadcastTransport transport = new RecordingBroadcastTransport();
		LamportClock clock = new LamportClock();
		EventDispatcher worker = new EventDispatcher(transport, "java@events", clock);
		EventDispatcher client = new EventDispatcher(transport, "gen1@events", clock);
		WorkerHeartbeats heartbeats = new WorkerHeartbeats(worker, Duration.ofMillis(100), () -> 1, () -> 3);
		TaskEventSender tasks = new TaskEventSender(worker, true);
		TaskMessage add = TaskMessageBuilder.task("tasks.add").id("ok-1").args(List.of(2, 3)).build();
		TaskMessage fail = TaskMessageBuilder.task("tasks.fail").id("fail-1").kwargs(Map.of("x", 1)).build();
		client.start();
		heartbeats.start();

		new TaskSentEventSender(client).published(add, Destination.queue("celery"), Duration.ZERO);
		tasks.taskReceived(add, "celery");
		tasks.taskStarted(add, "celery");
		tasks.taskSucceeded(add, "celery", 5, Duration.ofMillis(12));
		tasks.taskReceived(fail, "celery");
		tasks.taskStarted(fail, "celery");
		tasks.taskFailed(fail, "celery", ExceptionInfo.python("builtins", "ValueError", "boom"),
				new IllegalArgumentException("boom"), Duration.ofMillis(3));
		await().until(() -> transport.published().stream().anyMatch((m) -> m.routingKey().equals("worker.heartbeat")));
		client.close();
		worker.close();
		Path bodies = directory.resolve("bodies.jsonl");
		Files.write(bodies, transport.published().stream().map(Published::message)
			.map((message) -> new String(message.body(), StandardCharsets.UTF_8)).toList());

		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), PYTHON, script.toString(),
				bodies.toString(), "java@events");

		assertThat(result.exit()).as(result.stderr()).isZero();
		Map<String, Object> state = EventFixtures.map(CeleryJson.newMapper().readValue(result.stdout(), Object.class));
		assertThat(state).containsEntry("alive", true).containsEntry("freq", 0.1).containsEntry("active", 1)
			.containsEntry("processed", 3).containsEntry("sw_ident", "taskqueue");
		assertThat((List<?>) state.get("loadavg")).hasSize(3);
		Map<String, Object> ok = EventFixtures.map(EventFixtures.map(state.get("tasks")).get("ok-1"));
		assertThat(ok).containsEntry("state", "SUCCESS").containsEntry("name", "tasks.add")
			.containsEntry("args", "(2, 3)").containsEntry("result", "5").containsEntry("runtime", 0.012)
			.containsEntry("worker", "java@events").containsEntry("routing_key", "celery");
		Map<String, Object> failed = EventFixtures.map(EventFixtures.map(state.get("tasks")).get("fail-1"));
		assertThat(failed).containsEntry("state", "FAILURE").containsEntry("kwargs", "{'x': 1}")
			.containsEntry("exception", "ValueError('boom')").containsEntry("worker", "java@events");
	}

}
