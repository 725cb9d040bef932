package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.control.WorkerStats;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery's command line inspects and controls a Java worker, and a Java
 * {@link TaskQueueControl} a Python one, on one broker; revokes cross both ways.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class RemoteControlInterop {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final String queue = Interop.uniqueQueue("control");

	private final String javaNode = "java-" + UUID.randomUUID().toString().substring(0, 8) + "@interop";

	private final Map<String, String> env;

	private final ConfigurableApplicationContext java;

	private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();

	RemoteControlInterop(Stack stack) {
		this.env = stack.pythonEnv(this.queue);
		this.java = JavaSample.start(stack.javaProperties(this.queue, "taskqueue.worker.hostname=" + this.javaNode,
				"taskqueue.worker.concurrency=2"));
		this.running.add(this.java);
	}

	@AfterAll
	void stopAll() throws Exception {
		for (int i = this.running.size() - 1; i >= 0; i--) {
			this.running.get(i).close();
		}
	}

	@Test
	void celeryStatusAndInspectSeeTheJavaWorker() throws Exception {
		await().atMost(WAIT).untilAsserted(() -> assertThat(CeleryCli.ask(this.env, this.javaNode, "inspect", "ping")
			.get("ok").asString()).isEqualTo("pong"));
		CeleryCli.Result status = CeleryCli.run(this.env, "status", "-d", this.javaNode, "-t", "5");
		assertThat(status.output()).contains("->  " + this.javaNode + ": OK");
		JsonNode stats = CeleryCli.ask(this.env, this.javaNode, "inspect", "stats");
		assertThat(stats.has("pid")).isTrue();
		assertThat(stats.get("prefetch_count").asInt()).isEqualTo(8);
		assertThat(stats.get("pool").get("max-concurrency").asInt()).isEqualTo(2);
		assertThat(stats.get("broker").isObject()).isTrue();
		assertThat(stats.get("broker").toString()).doesNotContain("guest:guest");
		assertThat(stats.has("total")).isTrue();
		assertThat(stats.has("rusage")).isTrue();
		assertThat(CeleryCli.ask(this.env, this.javaNode, "inspect", "registered").toString()).contains("tasks.add");
		assertThat(CeleryCli.ask(this.env, this.javaNode, "inspect", "active_queues").get(0).get("name").asString())
			.isEqualTo(this.queue);
	}

	@Test
	void inspectActiveShowsTheRunningJavaTask() throws Exception {
		AsyncResult<Object> sleeping = tasks().task("tasks.sleep").args(3.0).queue(this.queue).send();
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode active = CeleryCli.ask(this.env, this.javaNode, "inspect", "active");
			assertThat(active.toString()).contains(sleeping.id()).contains("tasks.sleep");
		});
		assertThat(sleeping.get(WAIT)).isEqualTo(3.0);
	}

	@Test
	void celeryControlRateLimitAndRevokeReachTheJavaWorker() throws Exception {
		JsonNode limited = CeleryCli.ask(this.env, this.javaNode, "control", "rate_limit", "tasks.mul", "100/s");
		assertThat(limited.get("ok").asString()).isEqualTo("new rate limit set successfully");
		AsyncResult<Object> later = tasks().task("tasks.add").args(1, 2).queue(this.queue)
			.countdown(Duration.ofSeconds(3)).send();
		JsonNode revoked = CeleryCli.ask(this.env, this.javaNode, "control", "revoke", later.id());
		assertThat(revoked.get("ok").asString()).contains(later.id()).contains("flagged as revoked");
		await().atMost(WAIT).until(() -> later.state().equals(TaskState.REVOKED));
	}

	@Test
	void javaControlInspectsAPythonWorkerAndAJavaRevokeStopsItsTask() throws Exception {
		String pythonNode = "py-" + UUID.randomUUID().toString().substring(0, 8);
		String pythonQueue = Interop.uniqueQueue("control-py");
		Process python = PythonCelery.startWorker(pythonNode, this.env, "-Q", pythonQueue);
		this.running.add(() -> PythonCelery.stop(python));
		TaskQueueControl control = this.java.getBean(TaskQueueControl.class);
		String fullName = await().atMost(WAIT)
			.until(() -> control.inspect().ping().keySet().stream().filter((name) -> name.startsWith(pythonNode + "@"))
				.findFirst(), (found) -> found.isPresent())
			.orElseThrow();
		Map<String, WorkerStats> stats = control.destination(fullName).inspect(Duration.ofSeconds(5)).stats();
		assertThat(stats.get(fullName).pid()).isNotNull();
		assertThat(control.destination(fullName).inspect(Duration.ofSeconds(5)).registered().get(fullName))
			.contains("tasks.add");
		AsyncResult<Object> later = tasks().task("tasks.add").args(2, 2).queue(pythonQueue)
			.countdown(Duration.ofSeconds(3)).send();
		await().atMost(WAIT).until(() -> control.destination(fullName).inspect(Duration.ofSeconds(2)).scheduled()
			.getOrDefault(fullName, List.of()).stream().anyMatch((task) -> task.request().id().equals(later.id())));
		later.revoke();
		await().atMost(WAIT).until(() -> later.state().equals(TaskState.REVOKED));
		assertThat(control.destination(fullName).inspect(Duration.ofSeconds(2)).revoked().get(fullName))
			.contains(later.id());
	}

	private TaskOperations tasks() {
		return this.java.getBean(TaskOperations.class);
	}

}
