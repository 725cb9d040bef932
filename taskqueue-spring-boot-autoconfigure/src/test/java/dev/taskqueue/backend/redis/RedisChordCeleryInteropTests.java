package dev.taskqueue.backend.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability of the chords and saved groups of {@link RedisResultBackend} with Celery
 * itself (Debian's {@code python3} with Celery 5.2.6, on Redis database 13): each side restores
 * the groups the other saved, decodes the chord parts the other added, and completes a chord
 * whose other parts the other side added.
 */
class RedisChordCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String SCRIPT = """
			import json, sys, warnings
			warnings.simplefilter('ignore')
			from celery import Celery
			from celery.app.task import Context
			from celery.exceptions import ChordError
			from celery.result import GroupResult, result_from_tuple
			app = Celery('interop', broker='memory://', backend=sys.argv[1])
			app.conf.task_always_eager = True

			@app.task(name='interop.body')
			def body(results):
			    print(json.dumps({'body': results}))

			mode, gid, backend = sys.argv[2], sys.argv[3], app.backend
			if mode == 'restore':
			    r = GroupResult.restore(gid, app=app)
			    print(json.dumps({'tuple': r.as_tuple(), 'ids': [c.id for c in r.results],
			                      'nested': [isinstance(c, GroupResult) for c in r.results]}))
			elif mode == 'save':
			    GroupResult(gid, [result_from_tuple(t, app) for t in json.loads(sys.argv[4])], app=app).save()
			elif mode == 'unpack':
			    out = []
			    for raw in backend.client.zrange(backend.get_key_for_group(gid, '.j'), 0, -1):
			        try:
			            out.append({'entry': backend.decode(raw), 'value': backend._unpack_chord_result(raw, backend.decode)})
			        except ChordError as exc:
			            out.append({'entry': backend.decode(raw), 'error': str(exc)})
			    print(json.dumps(out))
			elif mode == 'parts':
			    if sys.argv[4] != '-':
			        backend.set_chord_size(gid, int(sys.argv[4]))
			    for tid, index, state, value in json.loads(sys.argv[5]):
			        value = ValueError(*value) if state == 'FAILURE' else value
			        request = Context(id=tid, group=gid, group_index=index, chord=body.s().set(task_id=gid + '-body'))
			        backend.on_chord_part_return(request, state, value)
			""";

	@RegisterExtension
	static final ChordRedis redis = new ChordRedis("taskqueue-chords-interop");

	@TempDir
	static Path directory;

	private static Path script;

	@BeforeAll
	static void writeScript() throws Exception {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, redis"),
				"python3 with celery and redis is not installed");
		script = Files.writeString(directory.resolve("chords.py"), SCRIPT);
	}

	@Test
	void celeryRestoresAGroupSavedHereWithItsNestedGroup() {
		String groupId = redis.groupId();
		List<Object> tuple = ChordRedis.groupTuple(groupId, ChordRedis.taskTuple("t1"), ChordRedis.groupTuple("inner", ChordRedis.taskTuple("t2")),
				ChordRedis.taskTuple("t3"));
		redis.store.saveGroup(groupId, tuple);
		Map<String, Object> restored = TestRedis.map(python("restore", groupId));
		assertThat(restored).containsEntry("ids", List.of("t1", "inner", "t3"))
			.containsEntry("nested", List.of(false, true, false))
			.containsEntry("tuple", tuple);
	}

	@Test
	void restoresAGroupCelerySaved() {
		String groupId = redis.groupId();
		python("save", groupId, "[[[\"t1\", null], null], [[\"g2\", null], [[[\"t2\", null], null]]]]");
		assertThat(redis.store.restoreGroup(groupId))
			.isEqualTo(ChordRedis.groupTuple(groupId, ChordRedis.taskTuple("t1"), ChordRedis.groupTuple("g2", ChordRedis.taskTuple("t2"))));
	}

	@Test
	void celeryDecodesThePartsAddedHere() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 4);
		redis.store.addChordPart(groupId, 2, new ChordPart("c", CeleryStates.SUCCESS, Map.of("total", List.of(1, 2))));
		redis.store.addChordPart(groupId, 0, new ChordPart("a", CeleryStates.FAILURE,
				new ExceptionInfo("ValueError", List.of("boom", 7), "builtins")));
		redis.store.addChordPart(groupId, 1, new ChordPart("b", CeleryStates.SUCCESS, null));
		List<Map<String, Object>> parts = castList(python("unpack", groupId));
		assertThat(parts).hasSize(3);
		assertThat(parts.get(0)).containsEntry("error", "Dependency a raised ValueError('boom', 7)");
		assertThat(parts.get(1)).containsEntry("entry", Arrays.asList(1, "b", "SUCCESS", null))
			.containsEntry("value", null);
		assertThat(parts.get(2)).containsEntry("value", Map.of("total", List.of(1, 2)));
	}

	@Test
	void completesHereAChordWhoseOtherPartsCeleryAdded() {
		String groupId = redis.groupId();
		python("parts", groupId, "3", "[[\"a\", 0, \"SUCCESS\", 1], [\"c\", 2, \"FAILURE\", [\"py boom\"]]]");
		List<ChordPart> parts = redis.store.addChordPart(groupId, 1, new ChordPart("b", CeleryStates.SUCCESS, "two"));
		assertThat(parts).containsExactly(new ChordPart("a", CeleryStates.SUCCESS, 1),
				new ChordPart("b", CeleryStates.SUCCESS, "two"), new ChordPart("c", CeleryStates.FAILURE,
						Map.of("exc_type", "ValueError", "exc_message", List.of("py boom"), "exc_module", "builtins")));
	}

	@Test
	void celeryCompletesAChordStartedHereAndDeletesItsKeys() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 3);
		redis.store.addChordPart(groupId, 2, new ChordPart("c", CeleryStates.SUCCESS, List.of(3, "c")));
		redis.store.addChordPart(groupId, 0, new ChordPart("a", CeleryStates.SUCCESS, 1.5));
		Object out = python("parts", groupId, "-", "[[\"b\", 1, \"SUCCESS\", {\"b\": true}]]");
		assertThat(out).isEqualTo(Map.of("body", List.of(1.5, Map.of("b", true), List.of(3, "c"))));
		assertThat(redis.redis().exists(ChordRedis.key(groupId, ".j"), ChordRedis.key(groupId, ".s"))).isZero();
	}

	/** Run the script and read the last line it printed as JSON, {@code null} when none. */
	private static Object python(String... arguments) {
		List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), ChordRedis.URL));
		command.addAll(List.of(arguments));
		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), command);
		assertThat(result.exit()).as("python3 %s: %s", arguments[0], result.output()).isZero();
		String[] lines = result.stdout().strip().split("\n");
		String last = lines[lines.length - 1];
		return last.isEmpty() ? null : CeleryJson.newMapper().readValue(last, Object.class);
	}

	@SuppressWarnings("unchecked")
	private static <T> List<T> castList(Object value) {
		return (List<T>) value;
	}

}
