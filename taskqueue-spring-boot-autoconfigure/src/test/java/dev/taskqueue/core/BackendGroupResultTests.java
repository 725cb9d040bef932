package dev.taskqueue.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

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

	private final GroupKeepingBackend backend = new GroupKeepingBackend();

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
	void saveStoresCeleryGroupTuple() throws IOException {
		Map<String, Object> fixture = fixture("redis-results/plain/05_group_saved.json");
		String groupId = (String) fixture.get("group_id");
		@SuppressWarnings("unchecked")
		List<String> children = (List<String>) fixture.get("children");
		group(groupId, children.toArray(String[]::new)).save();
		@SuppressWarnings("unchecked")
		Map<String, Object> key = (Map<String, Object>) ((Map<String, Object>) fixture.get("keys"))
			.get("celery-taskset-meta-" + groupId);
		@SuppressWarnings("unchecked")
		Object pythonTuple = ((Map<String, Object>) key.get("parsed")).get("result");
		assertThat(this.mapper.writeValueAsString(this.backend.restoreGroup(groupId)))
			.isEqualTo(this.mapper.writeValueAsString(pythonTuple));
	}

	@Test
	void restoreReadsTheSavedMembers() {
		group("g", "a", "b", "c").save();
		BackendGroupResult restored = BackendGroupResult.restore("g", this.backend, this.mapper, this.template);
		assertThat(restored.id()).isEqualTo("g");
		assertThat(restored.results()).extracting(AsyncResult::id).containsExactly("a", "b", "c");
	}

	@Test
	void restoreOfAGroupNotSavedFails() {
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> BackendGroupResult.restore("missing", this.backend, this.mapper, this.template))
			.withMessage("No group missing is saved in memory://");
	}

	@Test
	void forgetDeletesMembersAndTheSavedGroup() {
		this.backend.store(ResultMeta.of("a", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("c", CeleryStates.SUCCESS, 3));
		this.backend.store(ResultMeta.of("other", CeleryStates.SUCCESS, 0));
		this.group.save();
		this.group.forget();
		assertThat(this.backend.restoreGroup("g")).isNull();
		assertThat(this.group.results()).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.PENDING));
		assertThat(this.backend.get("other").status()).isEqualTo(CeleryStates.SUCCESS);
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

	@SuppressWarnings("unchecked")
	private Map<String, Object> fixture(String path) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/celery-fixtures/" + path)) {
			assertThat(in).as(path).isNotNull();
			return this.mapper.readValue(in, Map.class);
		}
	}

	record Size(String name, long size) {
	}

	/**
	 * The in-memory backend, keeping saved groups as JSON, as the Redis backend does, until
	 * it keeps them itself.
	 */
	private static final class GroupKeepingBackend extends InMemoryResultBackend {

		private final JsonMapper mapper = CeleryJson.newMapper();

		private final Map<String, String> groups = new ConcurrentHashMap<>();

		GroupKeepingBackend() {
			super(new JsonResultMetaCodec(), Duration.ofMinutes(1));
		}

		@Override
		public void saveGroup(String groupId, List<?> resultTuple) {
			this.groups.put(groupId, this.mapper.writeValueAsString(resultTuple));
		}

		@Override
		@SuppressWarnings("unchecked")
		public @Nullable List<Object> restoreGroup(String groupId) {
			String json = this.groups.get(groupId);
			return (json != null) ? this.mapper.readValue(json, List.class) : null;
		}

		@Override
		public void forgetGroup(String groupId) {
			this.groups.remove(groupId);
		}

	}

}
