package dev.taskqueue.backend.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interoperability of {@link RpcResultBackend} with Celery itself ({@code python3} with
 * {@code celery} and {@code amqp}, Debian's 5.2.6) on the real RabbitMQ: this client reads
 * what Celery's {@code rpc://} backend sends to its reply queue, and Celery's
 * {@code AsyncResult.get()}, waiting on its own reply queue, reads what this backend sends.
 */
class RpcResultBackendCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String SCRIPT = """
			import json, sys
			from celery import Celery
			from celery.app.task import Context
			app = Celery('interop', broker=sys.argv[1], backend='rpc://')
			mode = sys.argv[2]
			if mode in ('store', 'fail'):
			    reply_to, task_id = sys.argv[3], sys.argv[4]
			    request = Context(id=task_id, reply_to=reply_to, correlation_id=task_id)
			    if mode == 'store':
			        app.backend.store_result(task_id, json.loads(sys.argv[6]), sys.argv[5], request=request)
			    else:
			        app.backend.mark_as_failure(task_id, ValueError(sys.argv[5], 7), traceback='Traceback: py',
			                                    request=request)
			elif mode == 'wait':
			    task_id = sys.argv[3]
			    with app.connection_for_write() as conn:
			        app.backend.binding(conn.default_channel).declare()
			    print(json.dumps({'oid': app.backend.oid}), flush=True)
			    r = app.AsyncResult(task_id)
			    seen = []
			    try:
			        value = r.get(timeout=20, on_message=lambda meta: seen.append(meta['status']))
			        out = {'status': r.status, 'value': value, 'seen': seen}
			    except Exception as exc:
			        out = {'status': r.status, 'type': type(exc).__name__, 'module': type(exc).__module__,
			               'message': str(exc), 'args': list(exc.args), 'traceback': r.traceback, 'seen': seen}
			    print(json.dumps(out), flush=True)
			""";

	@TempDir
	static Path directory;

	private static Path script;

	private static CachingConnectionFactory connectionFactory;

	private static RpcResultBackend backend;

	@BeforeAll
	static void setUp() throws Exception {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, amqp"),
				"python3 with celery and amqp is not installed");
		script = Files.writeString(directory.resolve("interop.py"), SCRIPT);
		connectionFactory = RabbitServer.connectionFactory("taskqueue-rpc-interop-" + UUID.randomUUID());
		backend = new RpcResultBackend(connectionFactory, new JsonResultMetaCodec(), Duration.ofDays(1),
				"rpc://");
	}

	@AfterAll
	static void tearDown() {
		if (backend != null) {
			backend.destroy();
			connectionFactory.destroy();
		}
	}

	@Test
	void readsSuccessSentByCelery() throws Exception {
		String taskId = UUID.randomUUID().toString();
		CompletableFuture<ResultMeta> ready = new CompletableFuture<>();
		try (ResultSubscription subscription = backend.subscribe(taskId, ready::complete)) {
			python("store", backend.replyTo(), taskId, "SUCCESS", "{\"sum\": 5, \"items\": [\"a\", 1.5]}");
			ResultMeta received = ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(received.taskId()).isEqualTo(taskId);
			assertThat(received.status()).isEqualTo(CeleryStates.SUCCESS);
			assertThat(received.result()).isEqualTo(Map.of("sum", 5, "items", List.of("a", 1.5)));
		}
		assertThat(backend.get(taskId).result()).isEqualTo(Map.of("sum", 5, "items", List.of("a", 1.5)));
	}

	@Test
	void readsProgressThenSuccessSentByCelery() {
		String taskId = UUID.randomUUID().toString();
		List<ResultMeta> seen = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = backend.subscribe(taskId, seen::add)) {
			python("store", backend.replyTo(), taskId, "PROGRESS", "{\"current\": 3}");
			await().atMost(WAIT).until(() -> backend.get(taskId).status().equals("PROGRESS"));
			assertThat(backend.get(taskId).result()).isEqualTo(Map.of("current", 3));
			python("store", backend.replyTo(), taskId, "SUCCESS", "5");
			await().atMost(WAIT).until(() -> seen.size() == 2);
		}
		assertThat(seen).extracting((meta) -> meta.status()).containsExactly("PROGRESS", "SUCCESS");
		assertThat(backend.get(taskId).result()).isEqualTo(5);
	}

	@Test
	void readsFailureSentByCelery() {
		String taskId = UUID.randomUUID().toString();
		python("fail", backend.replyTo(), taskId, "py boom");
		await().atMost(WAIT).until(() -> backend.get(taskId).isReady());
		ResultMeta failure = backend.get(taskId);
		assertThat(failure.status()).isEqualTo(CeleryStates.FAILURE);
		assertThat(failure.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("py boom", 7), "builtins"));
		assertThat(failure.traceback()).isEqualTo("Traceback: py");
	}

	@Test
	void celeryClientReadsSuccessSentHere() throws Exception {
		String taskId = UUID.randomUUID().toString();
		Map<String, Object> out = celeryWaits(taskId, (replyTo) -> {
			backend.store(ResultMeta.of(taskId, "PROGRESS", Map.of("current", 1)), replyTo);
			backend.store(ResultMeta.of(taskId, CeleryStates.SUCCESS, Map.of("sum", 5, "items", List.of("a", 1.5))),
					replyTo);
		});
		assertThat(out).containsEntry("status", "SUCCESS")
			.containsEntry("value", Map.of("sum", 5, "items", List.of("a", 1.5)))
			.containsEntry("seen", List.of("PROGRESS", "SUCCESS"));
	}

	@Test
	void celeryClientRaisesBuiltinExceptionSentHere() throws Exception {
		String taskId = UUID.randomUUID().toString();
		Map<String, Object> out = celeryWaits(taskId,
				(replyTo) -> backend.store(ResultMeta.ofException(taskId, CeleryStates.FAILURE,
						new ExceptionInfo("ValueError", List.of("boom from java", 42), "builtins"), "java stack"),
						replyTo));
		assertThat(out).containsEntry("status", "FAILURE")
			.containsEntry("type", "ValueError")
			.containsEntry("module", "builtins")
			.containsEntry("args", List.of("boom from java", 42))
			.containsEntry("traceback", "java stack");
	}

	@Test
	void celeryClientRaisesJavaExceptionSentHereUnderItsName() throws Exception {
		String taskId = UUID.randomUUID().toString();
		Map<String, Object> out = celeryWaits(taskId, (replyTo) -> backend.store(ResultMeta.ofException(taskId,
				CeleryStates.FAILURE, ExceptionInfo.of(new IllegalStateException("no stock for order 7")), null),
				replyTo));
		assertThat(out).containsEntry("status", "FAILURE")
			.containsEntry("type", "IllegalStateException")
			.containsEntry("message", "no stock for order 7");
	}

	/**
	 * Start a Celery client waiting for a task on its own reply queue, send to that queue and
	 * return what the client printed.
	 */
	private Map<String, Object> celeryWaits(String taskId, Consumer<String> sender) throws Exception {
		Process process = new ProcessBuilder(PYTHON, script.toString(), RabbitServer.URL, "wait", taskId)
			.redirectError(directory.resolve("wait-" + taskId + ".err").toFile())
			.start();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			Map<String, Object> hello = readLine(reader, taskId);
			String oid = (String) hello.get("oid");
			assertThat(RabbitServer.listedQueue(oid)).containsEntry("durable", false)
				.containsEntry("auto_delete", true);
			sender.accept(oid);
			return readLine(reader, taskId);
		}
		finally {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> readLine(BufferedReader reader, String taskId) throws Exception {
		String line = CompletableFuture.supplyAsync(() -> {
			try {
				return reader.readLine();
			}
			catch (IOException ex) {
				return null;
			}
		}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(line).as(() -> "output of the Celery client, stderr: " + stderr("wait-" + taskId)).isNotNull();
		return CeleryJson.newMapper().readValue(line, Map.class);
	}

	private static void python(String... args) {
		List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), RabbitServer.URL));
		command.addAll(List.of(args));
		assertThat(TestProcesses.run(Duration.ofSeconds(150), command).exit()).isZero();
	}

	private static String stderr(String name) {
		try {
			return Files.readString(directory.resolve(name + ".err"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
