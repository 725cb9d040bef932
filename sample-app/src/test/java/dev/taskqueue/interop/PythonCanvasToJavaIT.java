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

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Python Celery applies chains, groups and chords whose every task the Java sample worker runs
 * (Redis broker and backend), and reads their outcome with its own {@code AsyncResult} and
 * {@code GroupResult}: issue 10's done-when.
 */
class PythonCanvasToJavaIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String QUEUE = Interop.uniqueQueue("pycanvas");

	private static final Map<String, String> ENV = Interop.pythonEnv(QUEUE);

	private static ConfigurableApplicationContext javaWorker;

	private static TaskOperations tasks;

	@BeforeAll
	static void startJavaWorker() {
		javaWorker = JavaSample.start(new Class<?>[] { CanvasTasks.class },
				Interop.javaProperties(QUEUE, "taskqueue.worker.concurrency=4"));
		tasks = javaWorker.getBean(TaskOperations.class);
	}

	@AfterAll
	static void stopJavaWorker() {
		javaWorker.close();
	}

	@Test
	void chainOfAddsIsSixteen() throws Exception {
		JsonNode out = canvas(Py.chain(Py.s("tasks.add", 2, 2), Py.s("tasks.add", 4), Py.s("tasks.add", 8)));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(16);
		List<String> parents = ids(out.get("parents"));
		assertThat(parents).hasSize(2).doesNotHaveDuplicates().doesNotContain(out.get("id").asString());
		TaskResult second = tasks.result(parents.get(0)).meta();
		assertThat(second.result()).isEqualTo(8);
		assertThat(second.parentId()).isEqualTo(parents.get(1));
		assertThat(tasks.result(parents.get(1)).meta().result()).isEqualTo(4);
		assertThat(tasks.result(out.get("id").asString()).meta().parentId()).isEqualTo(parents.get(0));
	}

	@Test
	void groupOfTenSumsIsReadByPythonsGroupResult() throws Exception {
		JsonNode out = canvas(Py.group(sums()));
		assertThat(out.get("kind").asString()).isEqualTo("group");
		assertThat(out.get("results").values()).as(out.toString())
			.extracting(JsonNode::asInt)
			.containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18);
		List<String> members = ids(out.get("ids"));
		assertThat(members).hasSize(10).doesNotHaveDuplicates();
		assertThat(tasks.result(members.get(3)).meta().groupId()).isEqualTo(out.get("id").asString());
	}

	@Test
	void chordOfTenSumsIsNinety() throws Exception {
		JsonNode out = canvas(Py.chord(sums(), Py.s("tasks.xsum")));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(90);
		JsonNode header = out.get("parents").get(0);
		assertThat(ids(header.get("members"))).hasSize(10);
		assertThat(tasks.result(header.get("members").get(9).asString()).meta().result()).isEqualTo(18);
	}

	@Test
	void linkCallbackGetsTheResult() throws Exception {
		String callbackId = UUID.randomUUID().toString();
		JsonNode out = canvas(Py.link(Py.s("tasks.add", 2, 2), Py.set(Py.s("tasks.add", 10), "task_id", callbackId)));
		assertThat(out.get("result").asInt()).as(out.toString()).isEqualTo(4);
		JsonNode callback = PythonCelery.client(ENV, "get", callbackId, "20");
		assertThat(callback.get("state").asString()).as(callback.toString()).isEqualTo("SUCCESS");
		assertThat(callback.get("result").asInt()).isEqualTo(14);
		assertThat(tasks.result(callbackId).meta().parentId()).isEqualTo(out.get("id").asString());
	}

	@Test
	void failedStepRunsLinkErrorAndFailsTheLaterSteps() throws Exception {
		String errors = "errbacks:" + UUID.randomUUID();
		Map<String, Object> onError = Py.kwargs(Py.s("tasks.on_error"), Map.of("key", errors));
		JsonNode out = canvas(Py.chainOnError(onError, Py.s("tasks.add", 1, 1), Py.si("tasks.fail", "step two"),
				Py.s("tasks.add", 3)));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("IllegalStateException");
		assertThat(out.get("exc_message").asString()).isEqualTo("step two");
		String failedStep = out.get("parents").get(0).get("id").asString();
		String firstStep = out.get("parents").get(1).get("id").asString();
		assertThat(PythonCelery.client(ENV, "get", failedStep).get("state").asString()).isEqualTo("FAILURE");
		assertThat(PythonCelery.client(ENV, "get", firstStep).get("result").asInt()).isEqualTo(2);
		await().atMost(TIMEOUT).until(() -> Interop.withRedis(Interop.RECORDS, (redis) -> redis.hlen(errors)) > 0);
		assertThat(CanvasTasks.counts(errors))
			.containsExactly(Map.entry(failedStep, "1"));
	}

	@Test
	void failedChordMemberGivesPythonAChordErrorAndRunsTheBodysErrback() throws Exception {
		String errors = "errbacks:" + UUID.randomUUID();
		Map<String, Object> onError = Py.kwargs(Py.s("tasks.on_error"), Map.of("key", errors));
		Map<String, Object> body = Py.linkError(Py.s("tasks.xsum"), onError);
		JsonNode out = canvas(Py.chord(List.of(Py.s("tasks.add", 1, 1), Py.si("tasks.fail", "member two"),
				Py.s("tasks.add", 2, 2)), body));
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("FAILURE");
		assertThat(out.get("exc_type").asString()).isEqualTo("ChordError");
		assertThat(out.get("exc_module").asString()).isEqualTo("celery.exceptions");
		String failedMember = out.get("parents").get(0).get("members").get(1).asString();
		assertThat(out.get("exc_message").asString()).contains(failedMember).contains("member two");
		await().atMost(TIMEOUT).until(() -> Interop.withRedis(Interop.RECORDS, (redis) -> redis.hlen(errors)) > 0);
		assertThat(CanvasTasks.counts(errors))
			.containsExactly(Map.entry(out.get("id").asString(), "1"));
	}

	/** Python's {@code [add.s(i, i) for i in range(10)]}. */
	private static List<Map<String, Object>> sums() {
		return IntStream.range(0, 10).mapToObj((i) -> Py.s("tasks.add", i, i)).toList();
	}

	private static JsonNode canvas(Map<String, Object> signature) throws Exception {
		return PythonCelery.client(ENV, "canvas", Py.json(signature), String.valueOf(TIMEOUT.toSeconds()));
	}

	private static List<String> ids(JsonNode list) {
		return list.values()
			.stream()
			.map((node) -> node.isObject() ? node.get("id").asString() : node.asString())
			.toList();
	}

}
