package dev.taskqueue.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for saving, restoring and forgetting a {@link BackendGroupResult}: the tuple Celery
 * 5.2.6 saved for the same group, and the members read back from it.
 */
class BackendGroupResultSaveTests {

	private final JsonMapper mapper = CeleryJson.newMapper();

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(1));

	private final CanvasStore groups = this.backend.canvasStore();

	private final TaskTemplate template = new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), this.mapper,
			DataSize.ofKilobytes(64));

	private final GroupResult group = group("g", "a", "b", "c");

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
		assertThat(this.mapper.writeValueAsString(this.groups.restoreGroup(groupId)))
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
	@SuppressWarnings("unchecked")
	void restoreReadsTheGroupPythonSaved() throws IOException {
		Map<String, Object> fixture = fixture("redis-results/plain/05_group_saved.json");
		String groupId = (String) fixture.get("group_id");
		Map<String, Object> key = (Map<String, Object>) ((Map<String, Object>) fixture.get("keys"))
			.get("celery-taskset-meta-" + groupId);
		this.groups.saveGroup(groupId, (List<Object>) ((Map<String, Object>) key.get("parsed")).get("result"));
		BackendGroupResult restored = BackendGroupResult.restore(groupId, this.backend, this.mapper, this.template);
		assertThat(restored.results()).extracting(AsyncResult::id).isEqualTo(fixture.get("children"));
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
		assertThat(this.groups.restoreGroup("g")).isNull();
		assertThat(this.group.results()).allSatisfy((result) -> assertThat(result.state()).isEqualTo(TaskState.PENDING));
		assertThat(this.backend.get("other").status()).isEqualTo(CeleryStates.SUCCESS);
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

}
