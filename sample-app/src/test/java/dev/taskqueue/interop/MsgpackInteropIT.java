package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Java and Python Celery with kombu's msgpack serializer, on Redis (broker and backend in
 * database 15, the broker's keys under a prefix of the test's own) and on RabbitMQ with the
 * rpc:// backend: a Python worker that accepts only msgpack runs what the Java template sends
 * with {@code taskqueue.task.serializer=msgpack} (and zlib), and stores msgpack results the
 * Java client reads; a Python client that sends and reads msgpack ({@code task_serializer},
 * {@code result_serializer} msgpack) gets the results a Java worker stored with
 * {@code taskqueue.backend.result-serializer=msgpack}.
 */
class MsgpackInteropIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String REDIS_URL = "redis://127.0.0.1:6379/15";

	private static final Stack REDIS = new Stack(REDIS_URL, REDIS_URL);

	static Stream<Stack> stacks() {
		return Stream.of(REDIS, Stack.AMQP_RPC);
	}

	@ParameterizedTest
	@MethodSource("stacks")
	void pythonWorkerThatAcceptsOnlyMsgpackRunsWhatJavaSends(Stack stack) throws Exception {
		String queue = Interop.uniqueQueue("msgpack-java2py");
		Process python = PythonCelery.startWorker("msgpack-java2py", stack.pythonEnv(queue, "INTEROP_ACCEPT",
				"msgpack", "INTEROP_RESULT_SERIALIZER", "msgpack", "INTEROP_KEYPREFIX", queue + ":"), "-Q", queue,
				"-c", "2");
		try (ConfigurableApplicationContext java = JavaSample.start(stack.javaProperties(queue,
				"taskqueue.worker.enabled=false", "taskqueue.task.serializer=msgpack", "taskqueue.task.compression=zlib",
				"taskqueue.broker.redis.global-keyprefix=" + queue + ":"))) {
			TaskOperations tasks = java.getBean(TaskOperations.class);
			assertThat(tasks.task("tasks.add").args(2, 3).send(Integer.class).get(TIMEOUT)).isEqualTo(5);
			assertThat(tasks.send("tasks.typeof", new byte[] { 0, 1, (byte) 0xff }).get(TIMEOUT)).isEqualTo("bytes");
			assertThat(tasks.send("tasks.typeof", "text").get(TIMEOUT)).isEqualTo("str");
			Map<String, Object> value = Map.of("k", List.of("v", 1, 2.5, true), "unicode", "h\u00e9llo \u6f22\u5b57");
			assertThat(tasks.send("tasks.identity", value).get(TIMEOUT)).isEqualTo(value);
			assertThat(tasks.send("tasks.xsum", List.of(1.5, 2.5)).get(TIMEOUT, Double.class)).isEqualTo(4.0);
			AsyncResult<Object> fail = tasks.send("tasks.fail", "boom from java");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> fail.get(TIMEOUT))
				.satisfies((ex) -> {
					assertThat(ex.getExceptionType()).isEqualTo("ValueError");
					assertThat(ex.getExceptionMessage()).isEqualTo("boom from java");
				});
			assertPythonRefusesJson(stack, queue);
		}
		finally {
			PythonCelery.stop(python);
			cleanUp(stack, queue);
		}
	}

	/** The same worker refuses a JSON message: what it ran above was msgpack indeed. */
	private static void assertPythonRefusesJson(Stack stack, String queue) throws IOException {
		try (ConfigurableApplicationContext json = JavaSample.start(stack.javaProperties(queue,
				"taskqueue.worker.enabled=false", "taskqueue.broker.redis.global-keyprefix=" + queue + ":"))) {
			json.getBean(TaskOperations.class).send("tasks.add", 1, 1);
			await().atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> Files.readString(Interop.logFile("python-msgpack-java2py"))
					.contains("Refusing to deserialize untrusted content of type json (application/json)"));
		}
	}

	@ParameterizedTest
	@MethodSource("stacks")
	void pythonClientReadsMsgpackResultsOfTheJavaWorker(Stack stack) throws Exception {
		String queue = Interop.uniqueQueue("msgpack-py2java");
		Map<String, String> env = stack.pythonEnv(queue, "INTEROP_TASK_SERIALIZER", "msgpack",
				"INTEROP_RESULT_SERIALIZER", "msgpack", "INTEROP_ACCEPT", "json,msgpack", "INTEROP_KEYPREFIX",
				queue + ":");
		try (ConfigurableApplicationContext java = JavaSample.start(stack.javaProperties(queue,
				"taskqueue.backend.result-serializer=msgpack", "taskqueue.accept-content=msgpack",
				"taskqueue.broker.redis.global-keyprefix=" + queue + ":"))) {
			JsonNode add = PythonCelery.client(env, "send", "tasks.add",
					"{\"args\": [2, 3], \"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(add.get("state").asString()).isEqualTo("SUCCESS");
			assertThat(add.get("result").asInt()).isEqualTo(5);
			if (stack == REDIS) {
				// rpc:// replies carry no date_done
				assertThat(add.get("date_done").isNull()).isFalse();
				assertStoredInMsgpack(add.get("id").asString());
			}
			JsonNode identity = PythonCelery.client(env, "send", "tasks.identity",
					"{\"args\": [{\"a\": [1, \"x\", null, true, 2.5]}], \"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(identity.get("result").toString()).isEqualTo("{\"a\":[1,\"x\",null,true,2.5]}");
			JsonNode fail = PythonCelery.client(env, "send", "tasks.fail",
					"{\"args\": [\"kaboom\"], \"queue\": \"" + queue + "\", \"wait\": 20}");
			assertThat(fail.get("state").asString()).isEqualTo("FAILURE");
			assertThat(fail.get("exc_type").asString()).isEqualTo("IllegalStateException");
			assertThat(fail.get("exc_message").asString()).isEqualTo("kaboom");
			JsonNode progress = PythonCelery.client(env, "send", "tasks.progress",
					"{\"args\": [4], \"queue\": \"" + queue + "\", \"wait\": 20, \"watch_progress\": true}");
			assertThat(progress.get("result").asInt()).isEqualTo(4);
			assertThat(progress.get("progress")).isNotEmpty();
		}
		finally {
			cleanUp(stack, queue);
		}
	}

	private static void assertStoredInMsgpack(String id) {
		withRedis((redis) -> {
			byte[] stored = redis.get(("celery-task-meta-" + id).getBytes(StandardCharsets.UTF_8));
			assertThat(stored).isNotNull();
			assertThat(stored[0] & 0xf0).as("a msgpack map").isEqualTo(0x80);
		});
	}

	private static void cleanUp(Stack stack, String queue) {
		if (stack == REDIS) {
			withRedis((redis) -> {
				List<byte[]> keys = redis.scan(ScanArgs.Builder.matches(queue + ":*").limit(10_000)).getKeys();
				if (!keys.isEmpty()) {
					redis.del(keys.toArray(byte[][]::new));
				}
			});
			return;
		}
		RabbitServer.deleteQueues(queue);
	}

	private static void withRedis(java.util.function.Consumer<RedisCommands<byte[], byte[]>> action) {
		RedisClient client = RedisClient.create(REDIS_URL);
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			action.accept(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
