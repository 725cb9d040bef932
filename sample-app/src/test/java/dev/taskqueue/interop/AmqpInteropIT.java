package dev.taskqueue.interop;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Java and Python Celery on RabbitMQ, both ways, with the rpc:// backend and with the Redis
 * backend.
 */
class AmqpInteropIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static Stream<Stack> stacks() {
		return Stream.of(Stack.AMQP_RPC, Stack.AMQP_REDIS);
	}

	@ParameterizedTest
	@MethodSource("stacks")
	void pythonClientToJavaWorker(Stack stack) throws Exception {
		String queue = Interop.uniqueQueue("amqp-py2java");
		Map<String, String> env = stack.pythonEnv(queue);
		try (ConfigurableApplicationContext java = JavaSample.start(stack.javaProperties(queue))) {
			JsonNode add = PythonCelery.client(env, "send", "tasks.add",
					"{\"args\": [2, 3], \"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(add.get("state").asString()).isEqualTo("SUCCESS");
			assertThat(add.get("result").asInt()).isEqualTo(5);
			JsonNode mul = PythonCelery.client(env, "delay", "tasks.mul", "{\"args\": [6, 7], \"wait\": 20}");
			assertThat(mul.get("result").asInt()).isEqualTo(42);
			JsonNode fail = PythonCelery.client(env, "send", "tasks.fail",
					"{\"args\": [\"kaboom\"], \"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(fail.get("state").asString()).isEqualTo("FAILURE");
			assertThat(fail.get("exc_type").asString()).isEqualTo("IllegalStateException");
			assertThat(fail.get("exc_message").asString()).isEqualTo("kaboom");
			JsonNode progress = PythonCelery.client(env, "send", "tasks.progress",
					"{\"args\": [4], \"queue\": \"" + queue + "\", \"wait\": 20, \"watch_progress\": true}");
			assertThat(progress.get("result").asInt()).isEqualTo(4);
			assertThat(progress.get("progress")).isNotEmpty();
			JsonNode retry = PythonCelery.client(env, "send", "tasks.retry_once",
					"{\"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(retry.get("state").asString()).isEqualTo("SUCCESS");
			assertThat(retry.get("result").asInt()).isEqualTo(1);
			assertThat(retry.get("states").values()).extracting(JsonNode::asString).contains("RETRY");
		}
	}

	@ParameterizedTest
	@MethodSource("stacks")
	void javaClientToPythonWorker(Stack stack) throws Exception {
		String queue = Interop.uniqueQueue("amqp-java2py");
		Process python = PythonCelery.startWorker("amqp-java2py", stack.pythonEnv(queue), "-Q", queue, "-c", "2");
		try (ConfigurableApplicationContext java = JavaSample
			.start(stack.javaProperties(queue, "taskqueue.worker.enabled=false"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			assertThat(tasks.task("tasks.add").args(2, 3).send(Integer.class).get(TIMEOUT)).isEqualTo(5);
			AsyncResult<Object> fail = tasks.send("tasks.fail", "boom from java");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> fail.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ValueError"));
			AsyncResult<Object> progress = tasks.send("tasks.progress", 5);
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
				TaskResult meta = progress.meta();
				return meta.state().name().equals("PROGRESS") || meta.ready();
			});
			assertThat(progress.get(TIMEOUT)).isEqualTo(5);
			assertThat(tasks.send("tasks.retry_once").get(TIMEOUT)).isEqualTo(1);
		}
		finally {
			PythonCelery.stop(python);
		}
	}

}
