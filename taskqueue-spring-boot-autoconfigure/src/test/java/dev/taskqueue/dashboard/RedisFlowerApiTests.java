package dev.taskqueue.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;

import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The REST API on the real Redis (database 11, keys under a prefix of this test's own):
 * results from the Redis backend, tasks from events over Redis pub/sub, workers from remote
 * control, queue lengths from the broker, a Python Celery worker's replies and tasks; and 503
 * for results without a result backend.
 */
class RedisFlowerApiTests {

	private static final String URL = RedisServer.url(11);

	private static final String PYTHON_WORKER = """
			import os, sys, threading, time
			from celery import Celery
			url, prefix, hostname, queue, stop = sys.argv[1:6]
			app = Celery('flower', broker=url)
			app.conf.broker_transport_options = {'global_keyprefix': prefix}
			app.conf.worker_hijack_root_logger = False

			@app.task(name='py.mul')
			def mul(x, y):
			    return x * y

			def watch():
			    deadline = time.time() + 45
			    while not os.path.exists(stop) and time.time() < deadline:
			        time.sleep(0.2)
			    # the worker redirects sys.stdout to its logger
			    os.write(1, b'stopped\\n' if os.path.exists(stop) else b'timed out\\n')
			    os._exit(0)

			threading.Thread(target=watch, daemon=True).start()
			app.worker_main(['worker', '-P', 'solo', '-n', hostname, '-Q', queue, '-E', '--without-gossip',
			                 '--without-mingle', '-l', 'warning'])
			""";

	private final String prefix = "flower-" + UUID.randomUUID().toString().substring(0, 8);

	private final String worker = this.prefix + "@test";

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner()
		.withPropertyValues("taskqueue.broker.url=" + URL, "taskqueue.broker.redis.global-keyprefix=" + this.prefix + ":",
				"taskqueue.worker.hostname=" + this.worker, "taskqueue.worker.queues=" + this.prefix);

	@AfterEach
	void deleteKeys() {
		FlowerClient.deleteKeys(URL, this.prefix);
	}

	@Test
	void aTaskSentThroughTheApiRunsAndIsSeenInResultsEventsAndWorkers() {
		this.contextRunner.withPropertyValues("taskqueue.backend.url=" + URL).run((context) -> new FlowerClient(context).sendAndFollow(this.prefix, this.worker));
	}

	@Test
	void aPythonCeleryWorkerIsShownAndItsTasksAreKnown() throws Exception {
		Path stop = Files.createTempFile("flower-python", ".stop");
		Files.delete(stop);
		String python = "py-" + this.worker;
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
			AtomicReference<Map<String, Object>> sent = new AtomicReference<>();
			String end = TestProcesses.pythonWhile(PYTHON_WORKER, List.of(URL, this.prefix + ":", python, this.prefix + "-py",
					stop.toString()), () -> {
						try {
							if (seen.get() == null) {
								Map<String, Object> workers = mvc.ok(get("/taskqueue/api/workers")
									.param("refresh", "true").param("workername", python));
								seen.set(FlowerClient.map(workers.get(python)));
								sent.set(mvc.ok(post("/taskqueue/api/task/async-apply/py.mul")
									.contentType(MediaType.APPLICATION_JSON)
									.content("{\"args\": [6, 7], \"queue\": \"" + this.prefix + "-py\"}")));
							}
							Map<String, Object> info = mvc.ok(get("/taskqueue/api/tasks").param("workername", python));
							if (info.containsKey(sent.get().get("task-id"))
									&& "SUCCESS".equals(FlowerClient.map(info.get(sent.get().get("task-id"))).get("state"))) {
								Files.createFile(stop);
							}
						}
						catch (AssertionError ex) {
							// not up yet: asked again in 200 ms
						}
						catch (Exception ex) {
							throw new IllegalStateException(ex);
						}
					});
			assertThat(end).isEqualTo("stopped");
			assertThat(seen.get()).containsKeys("stats", "active_queues", "registered", "conf", "timestamp");
			assertThat(FlowerClient.list(seen.get().get("registered"))).contains("py.mul");
			assertThat(FlowerClient.map(FlowerClient.map(seen.get().get("stats")).get("pool"))).isNotEmpty();
			assertThat(FlowerClient.map(mvc.ok(get("/taskqueue/api/task/info/" + sent.get().get("task-id")))))
				.containsEntry("state", "SUCCESS").containsEntry("result", "42").containsEntry("worker", python);
		});
	}

	@Test
	void withoutAResultBackendSendsAnswerTheIdOnlyAndResultsAreUnavailable() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> sent = mvc.ok(post("/taskqueue/api/task/send-task/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"queue\": \"" + this.prefix + "\"}"));
			assertThat(sent).containsOnlyKeys("task-id");
			assertThat(mvc.error(get("/taskqueue/api/task/result/" + sent.get("task-id")), 503))
				.contains("No result backend");
		});
	}

}
