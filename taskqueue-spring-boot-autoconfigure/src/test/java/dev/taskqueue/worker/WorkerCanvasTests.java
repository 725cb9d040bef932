package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.GroupResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.ResultMeta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Chains, callbacks and errbacks run by a Java worker on the in-memory broker and backend:
 * the worker that finishes a step sends the next one.
 */
class WorkerCanvasTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private WorkerFixture fixture;

	private final Errbacks errbacks = new Errbacks();

	@BeforeEach
	void start() {
		this.fixture = new WorkerFixture(2);
		new CeleryTaskAnnotationBeanPostProcessor(this.fixture.registry).postProcessAfterInitialization(this.errbacks,
				"errbacks");
		this.fixture.start();
	}

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void chainPassesEachResultToTheNextStepWithParentAndRoot() {
		Signature add = Signature.of("t.add");
		AsyncResult<Object> last = this.fixture.template.chain(add.args(2, 2), add.args(4), add.args(8));
		assertThat(last.get(TIMEOUT, Integer.class)).isEqualTo(16);
		ResultMeta lastMeta = this.fixture.backend.get(last.id());
		// as in Celery, a step sends the next one before it stores its own result
		ResultMeta middle = await().atMost(TIMEOUT).until(() -> this.fixture.backend.get(lastMeta.parentId()),
				ResultMeta::isReady);
		ResultMeta first = await().atMost(TIMEOUT).until(() -> this.fixture.backend.get(middle.parentId()),
				ResultMeta::isReady);
		assertThat(middle.result()).isEqualTo(8);
		assertThat(first.result()).isEqualTo(4);
		assertThat(first.parentId()).isNull();
		assertThat(first.childIds()).containsExactly(middle.taskId());
		assertThat(middle.childIds()).containsExactly(last.id());
	}

	@Test
	void immutableStepIgnoresTheResultBeforeIt() {
		AsyncResult<Object> last = this.fixture.template.chain(Signature.of("t.add", 1, 1),
				Signature.of("t.add", 10, 20).immutable());
		assertThat(last.get(TIMEOUT, Integer.class)).isEqualTo(30);
	}

	@Test
	void failedStepStopsTheChainAndStoresTheFailureUnderTheLaterSteps() {
		AsyncResult<Object> last = this.fixture.template.chain(Signature.of("t.add", 1, 1),
				Signature.of("t.fail", "boom").immutable(), Signature.of("t.add", 5));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("boom"));
		assertThat(this.fixture.tasks.executions.get()).as("only the first add ran").isEqualTo(1);
	}

	@Test
	void callbackReceivesTheResultAndErrbackTheFailedTaskId() {
		AsyncResult<Object> linked = this.fixture.template.send(Signature.of("t.add", 2, 3)
			.link(Signature.of("t.add", 10)));
		assertThat(linked.get(TIMEOUT, Integer.class)).isEqualTo(5);
		String callbackId = await().atMost(TIMEOUT).until(() -> this.fixture.backend.get(linked.id()).childIds(),
				(ids) -> ids.size() == 1).get(0);
		assertThat(this.fixture.template.result(callbackId).get(TIMEOUT, Integer.class)).isEqualTo(15);
		AsyncResult<Object> failing = this.fixture.template.send(Signature.of("t.fail", "no")
			.linkError(Signature.of("t.errback", "extra")));
		await().atMost(TIMEOUT).until(() -> TaskState.FAILURE.equals(failing.state()));
		await().atMost(TIMEOUT).until(() -> this.errbacks.calls, (calls) -> !calls.isEmpty());
		assertThat(this.errbacks.calls).containsExactly(failing.id() + " extra");
	}

	@Test
	void errbacksOfAChainRunForTheStepThatFailed() {
		Signature chain = Signature.chain(Signature.of("t.add", 1, 1), Signature.of("t.fail", "x").immutable(),
				Signature.of("t.add", 1))
			.linkError(Signature.of("t.errback", "chain"));
		AsyncResult<Object> last = this.fixture.template.send(chain);
		await().atMost(TIMEOUT).until(() -> TaskState.FAILURE.equals(last.state()));
		await().atMost(TIMEOUT).until(() -> this.errbacks.calls, (calls) -> !calls.isEmpty());
		String failedId = this.fixture.backend.get(last.id()).taskId();
		assertThat(this.errbacks.calls).hasSize(1).allSatisfy((call) -> assertThat(call).endsWith(" chain")
			.isNotEqualTo(failedId + " chain"));
	}

	@Test
	void groupJoinsItsMembersResultsInMemberOrder() {
		GroupResult group = this.fixture.template.group(Signature.of("t.add", 1, 1), Signature.of("t.add", 2, 2),
				Signature.of("t.add", 3, 3));
		assertThat(group.join(TIMEOUT, Integer.class)).containsExactly(2, 4, 6);
		assertThat(group.completedCount()).isEqualTo(3);
		ResultMeta second = this.fixture.backend.get(group.results().get(1).id());
		assertThat(second.groupId()).isEqualTo(group.id());
	}

	@Test
	void chordSendsTheBodyOnceWithTheResultsInMemberOrder() {
		List<Signature> header = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			header.add(Signature.of("t.add", i, i));
		}
		AsyncResult<Object> body = this.fixture.template.chord(header.toArray(Signature[]::new))
			.body(Signature.of("t.sum"));
		assertThat(body.get(TIMEOUT, Integer.class)).isEqualTo(90);
		ResultMeta bodyMeta = this.fixture.backend.get(body.id());
		assertThat(bodyMeta.parentId()).as("the member that completed the chord sent the body").isNotNull();
	}

	@Test
	void failedMemberFailsTheBodyWithChordErrorAndRunsTheBodysErrbacks() {
		AsyncResult<Object> body = this.fixture.template.chord(Signature.of("t.add", 1, 1), Signature.of("t.fail", "bad"))
			.body(Signature.of("t.sum").linkError(Signature.of("t.errback", "body")));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ChordError"))
			.withMessageContaining("IllegalStateException('bad')");
		await().atMost(TIMEOUT).until(() -> this.errbacks.calls, (calls) -> !calls.isEmpty());
		assertThat(this.errbacks.calls).containsExactly(body.id() + " body");
	}

	@Test
	void aChordBodyThatIsNoSignatureFailsTheBodyInsteadOfKeepingTheChordWaiting() {
		String groupId = java.util.UUID.randomUUID().toString();
		String bodyId = java.util.UUID.randomUUID().toString();
		this.fixture.backend.canvasStore().setChordSize(groupId, 1);
		java.util.Map<String, Object> body = java.util.Map.of("args", "not a list", "options",
				java.util.Map.of("task_id", bodyId));
		dev.taskqueue.protocol.TaskMessage member = dev.taskqueue.protocol.TaskMessageBuilder.task("t.add")
			.args(List.of(1, 2))
			.group(groupId, 0)
			.embed(new dev.taskqueue.protocol.Embed(null, null, null, body))
			.build();
		this.fixture.broker.publish(new dev.taskqueue.broker.OutboundMessage(
				new dev.taskqueue.protocol.JsonMessageCodec().encode(member), dev.taskqueue.routing.Destination.queue("celery")));
		assertThat(this.fixture.template.result(member.id()).get(TIMEOUT, Integer.class)).isEqualTo(3);
		ResultMeta failed = await().atMost(TIMEOUT).until(() -> this.fixture.backend.get(bodyId), ResultMeta::isReady);
		assertThat(failed.exception()).isNotNull();
		assertThat(failed.exception().type()).isEqualTo("ChordError");
		assertThat(failed.exception().text()).startsWith("Invalid chord body");
	}

	@Test
	void groupFollowedByATaskInAChainBecomesAChord() {
		AsyncResult<Object> last = this.fixture.template.chain(Signature.of("t.add", 1, 2),
				Signature.group(Signature.of("t.add", 10), Signature.of("t.add", 20)), Signature.of("t.sum"),
				Signature.of("t.add", 100));
		assertThat(last.get(TIMEOUT, Integer.class)).as("(3+10) + (3+20) + 100").isEqualTo(136);
	}

	@Test
	void chordWithAnEmptyHeaderSendsTheBodyAtOnceWithAnEmptyList() {
		AsyncResult<Object> body = this.fixture.template.chord().body(Signature.of("t.sum"));
		assertThat(body.get(TIMEOUT, Integer.class)).isZero();
	}

	@Test
	void celeryChordUnlockPollsTheHeaderThenSendsTheBody() {
		GroupResult header = this.fixture.template.group(Signature.of("t.add", 1, 2), Signature.of("t.add", 3, 4));
		List<Object> tuples = header.results().stream()
			.map((r) -> (Object) java.util.Arrays.asList(java.util.Arrays.asList(r.id(), null), null))
			.toList();
		Signature body = Signature.of("t.sum").taskId(java.util.UUID.randomUUID().toString());
		this.fixture.template.task("celery.chord_unlock").args(header.id(), body.toMap())
			.kwargs(java.util.Map.of("interval", 0.05, "result", tuples))
			.send();
		assertThat(this.fixture.template.result(body.options().get("task_id").toString()).get(TIMEOUT, Integer.class))
			.isEqualTo(10);
	}

	@Test
	void celeryAccumulateReturnsItsArgumentsOrTheOneAtTheIndex() {
		assertThat(this.fixture.template.send("celery.accumulate", 1, 2, 3).get(TIMEOUT)).isEqualTo(List.of(1, 2, 3));
		assertThat(this.fixture.template.task("celery.accumulate").args(1, 2, 3).kwarg("index", -1).send().get(TIMEOUT))
			.isEqualTo(3);
	}

	@Test
	void groupEndingChainIsRefusedBeforeAnythingIsSent() {
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.fixture.template.chain(Signature.of("t.add", 1, 1),
					Signature.group(Signature.of("t.add", 1))))
			.withMessageContaining("ends in a group");
		assertThat(this.fixture.tasks.executions.get()).isZero();
	}

	static class Errbacks {

		final java.util.Queue<String> calls = new java.util.concurrent.ConcurrentLinkedQueue<>();

		@dev.taskqueue.core.CeleryTask(name = "t.errback")
		void errback(String failedId, String note) {
			this.calls.add(failedId + " " + note);
		}

	}

}
