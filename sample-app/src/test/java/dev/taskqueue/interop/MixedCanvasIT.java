package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Chains and chords whose steps run partly on Java workers and partly on a Python worker, each
 * step's task registered on one side only ({@code tasks.java_*}, {@code tasks.py_*}) and sent to
 * that side's queue; and a large Java chord whose members two Java workers run at once.
 */
class MixedCanvasIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String JAVA_QUEUE = Interop.uniqueQueue("mixed-java");

	private static final String PYTHON_QUEUE = Interop.uniqueQueue("mixed-py");

	private static final Map<String, String> ENV = Interop.pythonEnv(PYTHON_QUEUE);

	private static Process python;

	private static ConfigurableApplicationContext javaA;

	private static ConfigurableApplicationContext javaB;

	private static TaskOperations tasks;

	@BeforeAll
	static void start() throws Exception {
		python = PythonCelery.startWorker("mixed", ENV, "-Q", PYTHON_QUEUE, "-c", "4");
		javaA = JavaSample.start(new Class<?>[] { CanvasTasks.class },
				Interop.javaProperties(JAVA_QUEUE, "taskqueue.worker.concurrency=4", "sample.node=a"));
		javaB = JavaSample.start(new Class<?>[] { CanvasTasks.class },
				Interop.javaProperties(JAVA_QUEUE, "taskqueue.worker.concurrency=4", "sample.node=b"));
		tasks = javaA.getBean(TaskOperations.class);
	}

	@AfterAll
	static void stop() throws Exception {
		javaB.close();
		javaA.close();
		PythonCelery.stop(python);
	}

	@Test
	void pythonChainRunsAcrossJavaAndPythonWorkers() throws Exception {
		JsonNode out = canvas(Py.chain(Py.on(JAVA_QUEUE, Py.s("tasks.java_add", 1, 2)),
				Py.on(PYTHON_QUEUE, Py.s("tasks.py_add", 3)), Py.on(JAVA_QUEUE, Py.s("tasks.java_add", 4)),
				Py.on(PYTHON_QUEUE, Py.s("tasks.py_mul", 2))));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(20);
		assertThat(out.get("parents")).hasSize(3);
	}

	@Test
	void pythonChordWithMembersOnBothSidesCompletesOnce() throws Exception {
		String key = "bodies:" + UUID.randomUUID();
		List<Map<String, Object>> header = IntStream.range(0, 10)
			.mapToObj((i) -> (i % 2 == 0) ? Py.on(JAVA_QUEUE, Py.s("tasks.java_add", i, i))
					: Py.on(PYTHON_QUEUE, Py.s("tasks.py_add", i, i)))
			.toList();
		JsonNode out = canvas(Py.chord(header, Py.on(PYTHON_QUEUE, Py.s("tasks.count_sum", key))));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(90);
		assertThat(CanvasTasks.counts(key))
			.containsExactly(Map.entry(out.get("id").asString(), "1"));
	}

	@Test
	void javaChainWithAPythonMiddleStepIsWalkedByPython() throws Exception {
		String root = UUID.randomUUID().toString();
		AsyncResult<Object> last = tasks.chain(javaAdd(2, 2).taskId(root),
				tasks.signature("tasks.py_mul").args(3).queue(PYTHON_QUEUE), javaAdd(1));
		assertThat(last.get(TIMEOUT, Integer.class)).isEqualTo(13);
		JsonNode walk = PythonCelery.client(ENV, "walk", root, "20");
		JsonNode nodes = walk.get("nodes");
		assertThat(nodes.values()).as(walk.toString()).extracting((node) -> node.get("result").asInt())
			.containsExactly(4, 12, 13);
		assertThat(nodes.get(0).get("id").asString()).isEqualTo(root);
		assertThat(nodes.get(2).get("id").asString()).isEqualTo(last.id());
		assertThat(walk.get("collect").values()).extracting(JsonNode::asInt).containsExactly(4, 12, 13);
	}

	@Test
	void javaChordOfAHundredMembersOnTwoJavaWorkersRunsItsBodyOnce() {
		String key = "chord100:" + UUID.randomUUID();
		List<Signature> header = IntStream.range(0, 100)
			.mapToObj((i) -> tasks.signature("tasks.tally").args(i, key).queue(JAVA_QUEUE))
			.toList();
		AsyncResult<Object> body = tasks.chord(header.toArray(Signature[]::new))
			.body(tasks.signature("tasks.count_sum").args(key + ":body").queue(JAVA_QUEUE));
		assertThat(body.get(TIMEOUT, Long.class)).isEqualTo(4950L);
		assertThat(CanvasTasks.counts(key + ":body"))
			.containsExactly(Map.entry(body.id(), "1"));
		Map<String, String> byNode = CanvasTasks.counts(key + ":by");
		assertThat(byNode).containsOnlyKeys("a", "b");
		assertThat(byNode.values().stream().mapToInt(Integer::parseInt).sum()).isEqualTo(100);
	}

	@Test
	void javaChordWhosePythonMemberFailsFailsTheBodyWithChordError() {
		AsyncResult<Object> body = tasks
			.chord(javaAdd(1, 1), tasks.signature("tasks.fail").args("python member").queue(PYTHON_QUEUE),
					javaAdd(2, 2))
			.body(tasks.signature("tasks.xsum").queue(JAVA_QUEUE));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("ChordError");
			assertThat(ex.getExceptionMessage()).contains("ValueError").contains("python member");
		});
		assertThat(body.failed()).isTrue();
	}

	private static Signature javaAdd(Object... args) {
		return tasks.signature("tasks.java_add").args(args).queue(JAVA_QUEUE);
	}

	private static JsonNode canvas(Map<String, Object> signature) throws Exception {
		return PythonCelery.client(ENV, "canvas", Py.json(signature), String.valueOf(TIMEOUT.toSeconds()));
	}

}
