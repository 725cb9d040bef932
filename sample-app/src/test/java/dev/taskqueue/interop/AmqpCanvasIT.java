package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.GroupResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskSendException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Chains, groups and chords on RabbitMQ with the Redis result backend, sent and run by Java,
 * and a chord a Python client applies for the Java worker; on {@code rpc://}, which cannot join
 * a chord, Java refuses to send one, as Celery does.
 */
class AmqpCanvasIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String QUEUE = Interop.uniqueQueue("amqp-canvas");

	private static ConfigurableApplicationContext java;

	private static TaskOperations tasks;

	@BeforeAll
	static void start() {
		java = JavaSample.start(Stack.AMQP_REDIS.javaProperties(QUEUE, "taskqueue.worker.concurrency=4"));
		tasks = java.getBean(TaskOperations.class);
	}

	@AfterAll
	static void stop() {
		java.close();
	}

	@Test
	void chainOfAddsIsSixteen() {
		AsyncResult<Object> last = tasks.chain(add(2, 2), add(4), add(8));
		assertThat(last.get(TIMEOUT, Integer.class)).isEqualTo(16);
		String parent = last.meta().parentId();
		assertThat(parent).isNotNull();
		assertThat(tasks.result(parent).get(TIMEOUT, Integer.class)).isEqualTo(8);
	}

	@Test
	void groupOfTenSumsJoinsInOrder() {
		GroupResult group = tasks.group(IntStream.range(0, 10).mapToObj((i) -> add(i, i)).toList());
		assertThat(group.join(TIMEOUT, Integer.class)).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18);
		assertThat(group.successful()).isTrue();
		assertThat(group.completedCount()).isEqualTo(10);
		assertThat(group.results().get(4).meta().groupId()).isEqualTo(group.id());
	}

	@Test
	void chordOfTenSumsIsNinety() {
		Signature[] header = IntStream.range(0, 10).mapToObj((i) -> add(i, i)).toArray(Signature[]::new);
		assertThat(tasks.chord(header).body(tasks.signature("tasks.xsum")).get(TIMEOUT, Integer.class))
			.isEqualTo(90);
	}

	@Test
	void failedStepFailsTheLaterSteps() {
		AsyncResult<Object> last = tasks.chain(add(1, 1), tasks.signature("tasks.fail").args("step two").immutable(),
				add(3));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
			assertThat(ex.getExceptionMessage()).isEqualTo("step two");
		});
	}

	@Test
	void failedMemberFailsTheBodyWithChordError() {
		AsyncResult<Object> body = tasks.chord(add(1, 1), tasks.signature("tasks.fail").args("member two"), add(2, 2))
			.body(tasks.signature("tasks.xsum"));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ChordError"));
	}

	@Test
	void pythonChordRunsOnTheJavaWorker() throws Exception {
		List<Map<String, Object>> header = IntStream.range(0, 10)
			.mapToObj((i) -> Py.s("tasks.add", i, i))
			.toList();
		JsonNode out = PythonCelery.client(Stack.AMQP_REDIS.pythonEnv(QUEUE), "canvas",
				Py.json(Py.chord(header, Py.s("tasks.xsum"))), "30");
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		assertThat(out.get("result").asInt()).isEqualTo(90);
	}

	@Test
	void pythonChainOnTheRpcBackendRunsOnTheJavaWorker() throws Exception {
		String queue = Interop.uniqueQueue("amqp-rpc-pychain");
		try (ConfigurableApplicationContext worker = JavaSample.start(Stack.AMQP_RPC.javaProperties(queue))) {
			JsonNode out = PythonCelery.client(Stack.AMQP_RPC.pythonEnv(queue), "canvas",
					Py.json(Py.chain(Py.s("tasks.add", 2, 2), Py.s("tasks.add", 4), Py.s("tasks.add", 8))), "30");
			assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
			assertThat(out.get("result").asInt()).isEqualTo(16);
		}
	}

	@Test
	void onTheRpcBackendChainsAndGroupsRunAndChordsAreRefusedBeforeAnythingIsSent() {
		String queue = Interop.uniqueQueue("amqp-rpc-canvas");
		try (ConfigurableApplicationContext client = JavaSample
			.start(Stack.AMQP_RPC.javaProperties(queue, "taskqueue.worker.concurrency=4"))) {
			TaskOperations rpc = client.getBean(TaskOperations.class);
			Signature add = rpc.signature("tasks.add");
			assertThat(rpc.chain(add.args(2, 2), add.args(4), add.args(8)).get(TIMEOUT, Integer.class)).isEqualTo(16);
			assertThat(rpc.group(add.args(1, 1), add.args(2, 2)).join(TIMEOUT, Integer.class)).containsExactly(2, 4);
			assertThatExceptionOfType(TaskSendException.class)
				.isThrownBy(() -> rpc.chord(add.args(1, 1), add.args(2, 2)).body(rpc.signature("tasks.xsum")))
				.withMessageContaining("chord");
		}
	}

	private static Signature add(Object... args) {
		return tasks.signature("tasks.add").args(args);
	}

}
