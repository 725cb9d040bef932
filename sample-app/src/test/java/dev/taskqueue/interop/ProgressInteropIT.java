package dev.taskqueue.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java client follows the states a Python Celery worker stores with
 * {@code AsyncResult.get(timeout, onUpdate)}, as Celery's {@code get(on_message=...)}: STARTED,
 * the PROGRESS metas of {@code update_state}, RETRY, then the final state. On the Redis broker
 * and backend (database 8), and on RabbitMQ with the rpc:// backend.
 */
class ProgressInteropIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Redis broker and backend on database 8. */
	private static final Stack REDIS = new Stack("redis://127.0.0.1:6379/8", "redis://127.0.0.1:6379/8");

	static Stream<Stack> stacks() {
		return Stream.of(REDIS, Stack.AMQP_RPC);
	}

	@ParameterizedTest
	@MethodSource("stacks")
	void javaClientFollowsThePythonTasksStates(Stack stack) throws Exception {
		String queue = Interop.uniqueQueue("progress");
		Process python = PythonCelery.startWorker("progress", stack.pythonEnv(queue), "-Q", queue, "-c", "2");
		try (ConfigurableApplicationContext java = JavaSample
			.start(stack.javaProperties(queue, "taskqueue.worker.enabled=false"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);

			List<TaskResult> updates = new CopyOnWriteArrayList<>();
			AsyncResult<String> progress = tasks.task("tasks.progress_twice")
				.id(taskId(queue))
				.args(0.5)
				.send(String.class);
			assertThat(progress.get(TIMEOUT, (update) -> {
				updates.add(update);
				throw new IllegalStateException("a callback that throws is called again");
			})).isEqualTo("done");
			assertThat(updates).extracting((update) -> update.state().name())
				.containsExactly("STARTED", "PROGRESS", "PROGRESS", "SUCCESS");
			assertThat(updates.get(0).result()).isInstanceOfSatisfying(Map.class,
					(started) -> assertThat(started).containsKeys("pid", "hostname"));
			assertThat(updates.get(1).result()).isEqualTo(Map.of("step", 1, "of", 2));
			assertThat(updates.get(2).result()).isEqualTo(Map.of("step", 2, "of", 2));
			assertThat(updates.get(3).result()).isEqualTo("done");

			List<TaskResult> retries = new CopyOnWriteArrayList<>();
			AsyncResult<Object> flaky = tasks.task("tasks.flaky").id(taskId(queue)).args(1).send();
			assertThat(flaky.get(TIMEOUT, retries::add)).isEqualTo(1);
			assertThat(retries).extracting((update) -> update.state().name()).containsExactly("RETRY", "SUCCESS");
			assertThat(retries.get(0).result()).isInstanceOfSatisfying(Map.class,
					(exception) -> assertThat(exception.get("exc_type")).isEqualTo("KeyError"));

			List<TaskResult> failures = new CopyOnWriteArrayList<>();
			AsyncResult<Object> fail = tasks.task("tasks.fail")
				.id(taskId(queue))
				.args("boom with updates")
				.send();
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> fail.get(TIMEOUT, failures::add))
				.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ValueError"));
			assertThat(failures).extracting((update) -> update.state().name()).containsExactly("FAILURE");
			assertThat(failures.get(0).traceback()).contains("ValueError: boom with updates");
		}
		finally {
			PythonCelery.stop(python);
			if (stack == REDIS) {
				Interop.withRedis(REDIS.backend(), (redis) -> {
					List<String> keys = new ArrayList<>(redis.keys("celery-task-meta-" + queue + "-*"));
					keys.add("_kombu.binding." + queue);
					return redis.del(keys.toArray(String[]::new));
				});
			}
		}
	}

	/** A task id that names the test's queue, so that its result key can be found and deleted. */
	private static String taskId(String queue) {
		return queue + "-" + UUID.randomUUID();
	}

}
