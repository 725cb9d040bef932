package dev.taskqueue.interop;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Time limits across languages, on Redis (database 8): a Python client's
 * {@code apply_async(time_limit=1)} of a long sleep on the Java worker ends FAILURE
 * {@code TimeLimitExceeded}, rebuilt by Python as billiard's own class, and likewise for the
 * soft limit; the Java client's time limits reach a Python prefork worker, which enforces them
 * and stores the same exceptions the Java worker stores.
 */
class TimeLimitIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String URL = "redis://127.0.0.1:6379/8";

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	/** Consumed by the Java worker. */
	private static final String JAVA_QUEUE = "tl-java-" + RUN;

	/** Consumed by the Python worker. */
	private static final String PYTHON_QUEUE = "tl-python-" + RUN;

	private static final Map<String, String> ENV = new Stack(URL, URL).pythonEnv(PYTHON_QUEUE);

	private static Process pythonWorker;

	private static ConfigurableApplicationContext java;

	private static TaskOperations tasks;

	@BeforeAll
	static void start() throws Exception {
		pythonWorker = PythonCelery.startWorker("tl-py", ENV, "-Q", PYTHON_QUEUE, "-c", "1", "-P", "prefork");
		java = JavaSample.start("taskqueue.broker.url=" + URL, "taskqueue.backend.url=" + URL,
				"taskqueue.default-queue=" + PYTHON_QUEUE, "taskqueue.worker.queues=" + JAVA_QUEUE,
				"taskqueue.worker.concurrency=1");
		tasks = java.getBean(TaskOperations.class);
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (java != null) {
				java.close();
			}
			if (pythonWorker != null) {
				PythonCelery.stop(pythonWorker);
			}
		}
		finally {
			deleteQueues();
		}
	}

	@Test
	void pythonApplyAsyncTimeLimitStopsAJavaTaskWithTimeLimitExceeded() throws Exception {
		JsonNode out = PythonCelery.client(ENV, "apply", "tasks.sleep",
				"{\"args\": [60], \"queue\": \"" + JAVA_QUEUE + "\", \"time_limit\": 1, \"wait\": 20}");
		assertThat(out.get("state").asString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("TimeLimitExceeded");
		assertThat(out.get("exc_module").asString()).as("rebuilt as billiard's own class")
			.isEqualTo("billiard.exceptions");
		assertThat(out.get("exc_message").asString()).isEqualTo("TimeLimitExceeded(1,)");
		assertThat(PythonCelery.client(ENV, "apply", "tasks.add",
				"{\"args\": [2, 3], \"queue\": \"" + JAVA_QUEUE + "\", \"wait\": 20}").get("result").asInt())
			.as("the next task runs on the freed slot")
			.isEqualTo(5);
	}

	@Test
	void pythonApplyAsyncSoftTimeLimitInterruptsAJavaTask() throws Exception {
		JsonNode out = PythonCelery.client(ENV, "apply", "tasks.sleep",
				"{\"args\": [60], \"queue\": \"" + JAVA_QUEUE + "\", \"soft_time_limit\": 0.5, \"wait\": 20}");
		assertThat(out.get("state").asString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("SoftTimeLimitExceeded");
		assertThat(out.get("exc_module").asString()).isEqualTo("billiard.exceptions");
		assertThat(out.get("traceback").asString()).contains("java.lang.InterruptedException");
	}

	@Test
	void javaTimeLimitStopsATaskOnAPythonPreforkWorker() {
		AsyncResult<Object> result = tasks.task("tasks.sleep").args(60).timeLimit(Duration.ofSeconds(1)).send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
			assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
			assertThat(ex.getExceptionArguments()).containsExactly(1);
		});
		assertThat(tasks.task("tasks.add").args(2, 3).send().get(TIMEOUT)).isEqualTo(5);
	}

	@Test
	void javaSoftTimeLimitReachesAPythonPreforkWorker() {
		AsyncResult<Object> result = tasks.task("tasks.sleep")
			.args(60)
			.softTimeLimit(Duration.ofMillis(500))
			.timeLimit(Duration.ofSeconds(20))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getExceptionModule()).as("what the Java worker writes too").isEqualTo("billiard.exceptions");
			assertThat(ex.getRemoteTraceback()).contains("SoftTimeLimitExceeded");
		});
	}

	private static void deleteQueues() {
		RedisClient client = RedisClient.create(URL);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			for (String pattern : new String[] { "*" + JAVA_QUEUE + "*", "*" + PYTHON_QUEUE + "*" }) {
				var keys = connection.sync().scan(ScanArgs.Builder.matches(pattern).limit(10_000)).getKeys();
				if (!keys.isEmpty()) {
					connection.sync().del(keys.toArray(String[]::new));
				}
			}
		}
		finally {
			client.shutdown();
		}
	}

}
