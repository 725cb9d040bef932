package dev.taskqueue.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BackendGroupResult} on the in-memory result backend, with the members'
 * states stored directly.
 */
class BackendGroupResultTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final JsonMapper mapper = CeleryJson.newMapper();

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(1));

	private final InMemoryRevokedTaskStore revoked = new InMemoryRevokedTaskStore(Duration.ofMinutes(1));

	private final TaskTemplate template = new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), this.mapper,
			DataSize.ofKilobytes(64));

	private final GroupResult group = group("g", "a", "b", "c");

	@Test
	void resultsAreTheMembersInOrder() {
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, 2));
		assertThat(this.group.id()).isEqualTo("g");
		assertThat(this.group.results()).extracting(AsyncResult::id).containsExactly("a", "b", "c");
		assertThat(this.group.results().get(1).get(WAIT)).isEqualTo(2);
	}

	@Test
	void joinReturnsResultsInMemberOrderWhateverOrderTheyFinish() {
		CompletableFuture<List<@Nullable Object>> joined = CompletableFuture.supplyAsync(() -> this.group.join(WAIT));
		this.backend.store(ResultMeta.of("c", CeleryStates.SUCCESS, 3));
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, List.of("two")));
		assertThat(joined).isNotDone();
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, null));
		assertThat(joined).succeedsWithin(WAIT).isEqualTo(Arrays.asList(null, List.of("two"), 3));
	}

	@Test
	void joinThrowsTheFirstFailureInMemberOrderNamingGroupAndMember() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.ofException("b", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "bad"), "Traceback b"));
		this.backend.store(ResultMeta.ofException("c", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "KeyError", "worse"), "Traceback c"));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> this.group.join(WAIT))
			.withMessage("Group g, member 2 of 3: Task b failed: ValueError: bad")
			.withCauseInstanceOf(TaskFailedException.class)
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo("b");
				assertThat(ex.getExceptionType()).isEqualTo("ValueError");
				assertThat(ex.getExceptionModule()).isEqualTo("builtins");
				assertThat(ex.getExceptionArguments()).containsExactly("bad");
				assertThat(ex.getRemoteTraceback()).isEqualTo("Traceback b");
			});
	}

	@Test
	void joinThrowsAnEarlierRevokeBeforeALaterFailure() {
		this.backend.store(ResultMeta.revoked("a", "expired"));
		this.backend.store(ResultMeta.ofException("b", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "bad"), null));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> this.group.join(WAIT, Integer.class))
			.withMessage("Group g, member 1 of 3: Task a was revoked: expired")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("a"));
	}

	@Test
	void joinTimesOutNamingTheFirstMemberNotDone() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("b", CeleryStates.STARTED, null));
		Duration timeout = Duration.ofMillis(200);
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> this.group.join(timeout))
			.withMessage("Group g, member 2 of 3: task b is still STARTED after PT0.2S")
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo("b");
				assertThat(ex.getTimeout()).isEqualTo(timeout);
				assertThat(ex.getLastState()).isEqualTo(TaskState.STARTED);
			});
	}

	@Test
	void joinReadsMembersAlreadyDoneWhenNoTimeIsLeft() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, 2));
		this.backend.store(ResultMeta.of("c", CeleryStates.SUCCESS, 3));
		assertThat(this.group.join(Duration.ZERO)).containsExactly(1, 2, 3);
	}

	@Test
	void joinConvertsEachResult() {
		GroupResult sizes = group("g", "a", "b");
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, Map.of("name", "x", "size", 3)));
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, Map.of("name", "y", "size", 4)));
		assertThat(sizes.join(WAIT, Size.class)).containsExactly(new Size("x", 3L), new Size("y", 4L));
	}

	@Test
	void joinWithATypeTheResultDoesNotFitNamesTheMember() {
		GroupResult numbers = group("g", "a", "b");
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, "not a number"));
		assertThatExceptionOfType(TaskResultConversionException.class)
			.isThrownBy(() -> numbers.join(WAIT, Long.class))
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("b"));
	}

	@Test
	void statesFollowTheMembers() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("b", CeleryStates.STARTED, null));
		assertThat(this.group.ready()).isFalse();
		assertThat(this.group.successful()).isFalse();
		assertThat(this.group.failed()).isFalse();
		assertThat(this.group.completedCount()).isOne();
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, 2));
		this.backend.store(ResultMeta.ofException("c", CeleryStates.FAILURE,
				ExceptionInfo.python("builtins", "ValueError", "bad"), null));
		assertThat(this.group.ready()).isTrue();
		assertThat(this.group.successful()).isFalse();
		assertThat(this.group.failed()).isTrue();
		assertThat(this.group.completedCount()).isEqualTo(2);
	}

	@Test
	void successfulWhenEveryMemberSucceeded() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("b", CeleryStates.SUCCESS, 2));
		this.backend.store(ResultMeta.revoked("c", "revoked"));
		assertThat(this.group.successful()).isFalse();
		assertThat(this.group.ready()).isTrue();
		this.backend.forget("c");
		this.backend.store(ResultMeta.of("c", CeleryStates.SUCCESS, 3));
		assertThat(this.group.successful()).isTrue();
		assertThat(this.group.failed()).isFalse();
		assertThat(this.group.completedCount()).isEqualTo(3);
	}

	@Test
	void emptyGroupIsDoneAtOnce() {
		GroupResult empty = group("e");
		assertThat(empty.ready()).isTrue();
		assertThat(empty.successful()).isTrue();
		assertThat(empty.completedCount()).isZero();
		assertThat(empty.join(Duration.ZERO)).isEmpty();
	}

	@Test
	void restoreFromABackendThatKeepsNoGroupsFails() {
		ResultBackend noGroups = new DisabledResultBackend();
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> BackendGroupResult.restore("g", noGroups, this.mapper, this.template))
			.withMessage("Cannot restore group g: disabled:// does not keep groups (Celery's rpc backend cannot "
					+ "either); use a Redis result backend such as redis://host:port/db");
	}

	@Test
	void revokeRevokesEveryMember() {
		this.template.setRevokedTaskStore(this.revoked);
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.group.revoke();
		assertThat(this.revoked.revoked()).containsOnlyKeys("a", "b", "c");
		assertThat(this.group.results()).extracting(AsyncResult::state)
			.containsExactly(TaskState.SUCCESS, TaskState.REVOKED, TaskState.REVOKED);
	}

	private GroupResult group(String id, String... memberIds) {
		return BackendGroupResult.of(id, List.of(memberIds), this.backend, this.mapper, this.template);
	}

	record Size(String name, long size) {
	}

}
