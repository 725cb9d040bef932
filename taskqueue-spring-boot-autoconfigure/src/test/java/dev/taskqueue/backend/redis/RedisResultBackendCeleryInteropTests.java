package dev.taskqueue.backend.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Interoperability of {@link RedisResultBackend} with Celery itself ({@code python3} with
 * {@code celery} and {@code redis}, Debian's 5.2.6): Celery's {@code AsyncResult.get()}
 * reads what this backend stores, and this backend reads and waits for what Celery's
 * {@code backend.store_result} and {@code mark_as_failure} write.
 */
class RedisResultBackendCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String SCRIPT = """
			import json, sys
			from celery import Celery
			app = Celery('interop', broker='memory://', backend=sys.argv[1])
			mode, task_id = sys.argv[2], sys.argv[3]
			if mode == 'get':
			    r = app.AsyncResult(task_id)
			    try:
			        value = r.get(timeout=10)
			        out = {'status': r.status, 'value': value, 'date_done': r.date_done.isoformat()}
			    except Exception as exc:
			        out = {'status': r.status, 'type': type(exc).__name__, 'module': type(exc).__module__,
			               'message': str(exc), 'args': list(exc.args), 'traceback': r.traceback}
			    print(json.dumps(out))
			elif mode == 'store':
			    app.backend.store_result(task_id, json.loads(sys.argv[4]), 'SUCCESS')
			elif mode == 'fail':
			    app.backend.mark_as_failure(task_id, ValueError(sys.argv[4], 7), traceback='Traceback: py')
			""";

	@TempDir
	static Path directory;

	private static Path script;

	private static RedisFixture redis;

	@BeforeAll
	static void setUp() throws Exception {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, redis"),
				"python3 with celery and redis is not installed");
		redis = new RedisFixture("taskqueue-results-interop", Duration.ofDays(1));
		script = Files.writeString(directory.resolve("interop.py"), SCRIPT);
	}

	@AfterAll
	static void tearDown() {
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void deleteKeys() {
		redis.deleteKeys();
	}

	@Test
	void celeryReadsSuccessStoredHere() throws Exception {
		String taskId = redis.taskId();
		Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
		Map<String, Object> value = Map.of("sum", 5, "items", List.of("a", 1.5));
		redis.backend.store(new ResultMeta(taskId, CeleryStates.SUCCESS, value, null, List.of(), done, null, null, null,
				null));
		Map<String, Object> out = python("get", taskId);
		assertThat(out).containsEntry("status", "SUCCESS")
			.containsEntry("value", value);
		assertThat(OffsetDateTime.parse((String) out.get("date_done")).toInstant()).isEqualTo(done);
	}

	@Test
	void celeryRaisesBuiltinExceptionStoredHere() throws Exception {
		String taskId = redis.taskId();
		redis.backend.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
				new ExceptionInfo("ValueError", List.of("boom from java", 42), "builtins"), "java stack"));
		Map<String, Object> out = python("get", taskId);
		assertThat(out).containsEntry("status", "FAILURE")
			.containsEntry("type", "ValueError")
			.containsEntry("module", "builtins")
			.containsEntry("args", List.of("boom from java", 42))
			.containsEntry("traceback", "java stack");
	}

	@Test
	void celeryRaisesJavaExceptionStoredHereUnderItsName() throws Exception {
		String taskId = redis.taskId();
		redis.backend.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
				ExceptionInfo.of(new IllegalStateException("no stock for order 7")), null));
		Map<String, Object> out = python("get", taskId);
		assertThat(out).containsEntry("status", "FAILURE")
			.containsEntry("type", "IllegalStateException")
			.containsEntry("message", "no stock for order 7");
	}

	@Test
	void waitsForAndReadsSuccessStoredByCelery() throws Exception {
		String taskId = redis.taskId();
		CompletableFuture<ResultMeta> received = new CompletableFuture<>();
		try (ResultSubscription subscription = redis.backend.subscribe(taskId, received::complete)) {
			python("store", taskId, "{\"total\": [1, 2, 3], \"ok\": true}");
			ResultMeta published = received.get(10, TimeUnit.SECONDS);
			assertThat(published.status()).isEqualTo(CeleryStates.SUCCESS);
			assertThat(published.result()).isEqualTo(Map.of("total", List.of(1, 2, 3), "ok", true));
		}
		ResultMeta stored = redis.backend.get(taskId);
		assertThat(stored.status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(stored.result()).isEqualTo(Map.of("total", List.of(1, 2, 3), "ok", true));
		assertThat(stored.dateDone()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
		assertThat(redis.redis().ttl(TestRedis.key(taskId))).isBetween(86390L, 86400L);
	}

	@Test
	void readsFailureStoredByCelery() throws Exception {
		String taskId = redis.taskId();
		python("fail", taskId, "py boom");
		ResultMeta stored = redis.backend.get(taskId);
		assertThat(stored.status()).isEqualTo(CeleryStates.FAILURE);
		assertThat(stored.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("py boom", 7), "builtins"));
		assertThat(stored.traceback()).isEqualTo("Traceback: py");
		assertThat(stored.dateDone()).isNotNull();
	}

	@Test
	void successStoredByCeleryIsNotOverwritten() throws Exception {
		String taskId = redis.taskId();
		python("store", taskId, "1");
		redis.backend.store(ResultMeta.of(taskId, CeleryStates.FAILURE, null));
		assertThat(redis.backend.get(taskId).result()).isEqualTo(1);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> python(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), TestRedis.URL));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("exit status of python3 %s", command).isZero();
		return out.isEmpty() ? Map.of() : (Map<String, Object>) CeleryJson.newMapper().readValue(out, Object.class);
	}

}
