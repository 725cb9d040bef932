package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.sample.SendTaskRequest;
import dev.taskqueue.sample.TaskController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java {@code TaskTemplate} sends tasks that a real Python Celery worker runs on Redis, and
 * reads the results, including FAILURE, PROGRESS and RETRY states, back in Java.
 */
class JavaClientToPythonWorkerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String QUEUE = Interop.uniqueQueue("java2py");

	private static Process pythonWorker;

	private static ConfigurableApplicationContext javaClient;

	private static TaskOperations tasks;

	@BeforeAll
	static void start() throws Exception {
		pythonWorker = PythonCelery.startWorker("java2py", Interop.pythonEnv(QUEUE), "-Q", QUEUE, "-c", "2");
		javaClient = JavaSample.start(Interop.javaProperties(QUEUE, "taskqueue.worker.enabled=false"));
		tasks = javaClient.getBean(TaskOperations.class);
	}

	@AfterAll
	static void stop() throws Exception {
		javaClient.close();
		PythonCelery.stop(pythonWorker);
	}

	@Test
	void resultsComeBack() {
		assertThat(tasks.task("tasks.add").args(2, 3).send(Integer.class).get(TIMEOUT)).isEqualTo(5);
		assertThat(tasks.task("tasks.mul").kwargs(Map.of("x", 6, "y", 7)).send(Integer.class).get(TIMEOUT))
			.isEqualTo(42);
		assertThat(tasks.send("tasks.xsum", List.of(1.5, 2.5)).get(TIMEOUT, Double.class)).isEqualTo(4.0);
		assertThat(tasks.send("tasks.identity", Map.of("k", List.of("v", 1))).get(TIMEOUT))
			.isEqualTo(Map.of("k", List.of("v", 1)));
	}

	@Test
	void pythonExceptionComesBackAsTaskFailedException() {
		AsyncResult<Object> result = tasks.send("tasks.fail", "boom from java");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("ValueError");
			assertThat(ex.getExceptionModule()).isEqualTo("builtins");
			assertThat(ex.getExceptionMessage()).isEqualTo("boom from java");
			assertThat(ex.getRemoteTraceback()).contains("Traceback (most recent call last)")
				.contains("ValueError: boom from java");
		});
		assertThat(result.failed()).isTrue();
	}

	@Test
	void progressStatesAreSeenWhileRunning() {
		AsyncResult<Object> result = tasks.send("tasks.progress", 5);
		Set<Integer> seen = new ConcurrentSkipListSet<>();
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
			TaskResult meta = result.meta();
			if (meta.state().name().equals("PROGRESS") && meta.result() instanceof Map<?, ?> info) {
				assertThat(info.get("total")).isEqualTo(5);
				seen.add((Integer) info.get("current"));
			}
			return meta.ready();
		});
		assertThat(seen).isNotEmpty().allSatisfy((current) -> assertThat(current).isBetween(1, 5));
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
	}

	@Test
	void retryStateIsSeenBeforeSuccess() {
		AsyncResult<Object> result = tasks.send("tasks.flaky", 2);
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> result.state().name().equals("RETRY"));
		TaskResult retry = result.meta();
		if (retry.state().equals(TaskState.RETRY)) {
			assertThat(retry.result()).isInstanceOfSatisfying(Map.class,
					(exception) -> assertThat(exception.get("exc_type")).isEqualTo("KeyError"));
		}
		assertThat(result.get(TIMEOUT)).isEqualTo(2);
	}

	@Test
	void pythonRetryOfATaskSentThroughTheSampleRestApiEndsSuccessAfterRetry() {
		TaskController api = javaClient.getBean(TaskController.class);
		String id = api.send("tasks.retry_once", SendTaskRequest.EMPTY).getBody().id();
		List<String> states = new CopyOnWriteArrayList<>();
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
			String state = api.status(id).state();
			if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
				states.add(state);
			}
			return state.equals("SUCCESS");
		});
		assertThat(states).contains("RETRY");
		assertThat(api.status(id).result()).isEqualTo(1);
	}

	@Test
	void countdownIsHonouredByPython() {
		long start = System.nanoTime();
		AsyncResult<Object> result = tasks.task("tasks.add").args(1, 1).countdown(Duration.ofMillis(1500)).send();
		assertThat(result.get(TIMEOUT)).isEqualTo(2);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
	}

}
