package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests of {@link JsonResultMetaCodec} against every task meta Celery 5.2.6 stored in
 * Redis ({@code redis-results/plain} and {@code redis-results/extended}): each decodes to
 * the expected model, and encoding that model gives Celery's JSON text again, in the same
 * key order, except for {@code date_done}, which this library writes with {@code +00:00}.
 */
class RedisResultsFixtureTests {

	private static final List<String> SINGLE_METAS = List.of("meta", "meta_progress", "meta_final", "meta_retry");

	private static final List<String> KEY_SETS = List.of("keys", "keys_after");

	private static final String META_PREFIX = "celery-task-meta-";

	private final JsonResultMetaCodec codec = new JsonResultMetaCodec();

	static List<Arguments> metas() {
		List<Arguments> metas = new ArrayList<>();
		for (String flavour : List.of("plain", "extended")) {
			for (String file : CeleryFixtures.files("redis-results/" + flavour)) {
				Map<String, Object> fixture = CeleryFixtures.load("redis-results/" + flavour + "/" + file);
				for (String name : SINGLE_METAS) {
					if (fixture.containsKey(name)) {
						metas.add(Arguments.of(flavour + "/" + file, name, map(fixture.get(name)).get("raw")));
					}
				}
				for (String name : KEY_SETS) {
					map(fixture.getOrDefault(name, Map.of())).forEach((key, value) -> {
						if (key.startsWith(META_PREFIX)) {
							metas.add(Arguments.of(flavour + "/" + file, key, map(value).get("raw")));
						}
					});
				}
			}
		}
		return metas;
	}

	@Test
	void everyCaptureHasTaskMetas() {
		List<String> files = metas().stream().map((arguments) -> (String) arguments.get()[0]).distinct().toList();
		assertThat(files).hasSize(14);
		assertThat(metas()).hasSize(28);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("metas")
	void decodesToTheStoredValues(String file, String name, String raw) {
		ResultMeta meta = this.codec.decode(raw.getBytes(StandardCharsets.UTF_8));
		Map<String, Object> stored = map(CeleryFixtures.MAPPER.readValue(raw, Object.class));
		assertThat(meta.taskId()).isEqualTo(stored.get("task_id"));
		if (name.startsWith(META_PREFIX)) {
			assertThat(name).isEqualTo(META_PREFIX + meta.taskId());
		}
		assertThat(meta.status()).isEqualTo(stored.get("status"));
		assertThat(meta.result()).isEqualTo(stored.get("result"));
		assertThat(meta.traceback()).isEqualTo(stored.get("traceback"));
		assertThat(meta.children()).isEqualTo(stored.get("children"));
		Object dateDone = stored.get("date_done");
		assertThat(meta.dateDone()).isEqualTo((dateDone != null) ? Instant.parse(dateDone + "Z") : null);
		assertThat(meta.dateDone() != null).isEqualTo(meta.isReady());
		assertThat(meta.groupId()).isEqualTo(stored.get("group_id"));
		assertThat(meta.groupIndex()).isNull();
		assertThat(meta.parentId()).isEqualTo(stored.get("parent_id"));
		if (file.startsWith("extended")) {
			ResultMeta.Extended extended = meta.extended();
			assertThat(extended).isNotNull();
			assertThat(extended.name()).isEqualTo(stored.get("name"));
			assertThat(extended.args()).isEqualTo(stored.get("args"));
			assertThat(extended.kwargs()).isEqualTo(stored.get("kwargs"));
			assertThat(extended.worker()).isEqualTo("cres1@vm");
			assertThat(extended.retries()).isEqualTo(stored.get("retries"));
			assertThat(extended.queue()).isEqualTo("celery");
		}
		else {
			assertThat(meta.extended()).isNull();
		}
		if (meta.isException()) {
			ExceptionInfo exception = meta.exception();
			assertThat(exception).isNotNull();
			assertThat(exception.type()).isEqualTo("ValueError");
			assertThat(exception.module()).isEqualTo("builtins");
			assertThat(exception.message()).isEqualTo(map(stored.get("result")).get("exc_message"));
			assertThat(meta.traceback()).startsWith("Traceback (most recent call last):");
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("metas")
	void encodesLikeCelery(String file, String name, String raw) {
		ResultMeta meta = this.codec.decode(raw.getBytes(StandardCharsets.UTF_8));
		String encoded = new String(this.codec.encode(meta), StandardCharsets.UTF_8);
		Map<String, Object> stored = map(CeleryFixtures.MAPPER.readValue(raw, Object.class));
		Map<String, Object> written = map(CeleryFixtures.MAPPER.readValue(encoded, Object.class));
		assertThat(written.keySet()).containsExactlyElementsOf(stored.keySet());
		stored.forEach((key, value) -> {
			if (key.equals("date_done") && value != null) {
				assertThat(CeleryTime.parse((String) written.get(key))).isEqualTo(CeleryTime.parse((String) value));
			}
			else {
				assertThat(written.get(key)).as(key).isEqualTo(value);
			}
		});
		// Byte for byte what Celery wrote, but for the offset of date_done
		Object dateDone = stored.get("date_done");
		String expected = (dateDone != null)
				? raw.replace("\"" + dateDone + "\"", "\"" + CeleryTime.format(meta.dateDone()) + "\"") : raw;
		assertThat(encoded).isEqualTo(expected);
	}

	@Test
	void concreteValues() {
		Map<String, ResultMeta> metas = new HashMap<>();
		for (Arguments arguments : metas()) {
			Object[] values = arguments.get();
			metas.put(values[0] + " " + values[1],
					this.codec.decode(((String) values[2]).getBytes(StandardCharsets.UTF_8)));
		}
		ResultMeta success = metas.get("plain/01_success_add.json meta");
		assertThat(success.taskId()).isEqualTo("39a8a4da-edea-4a29-b970-a38d6da780ee");
		assertThat(success.status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(success.result()).isEqualTo(5);
		assertThat(success.dateDone()).isEqualTo(Instant.parse("2026-11-21T17:12:40.954801Z"));
		assertThat(success.children()).isEmpty();
		ResultMeta failure = metas.get("plain/02_failure_valueerror.json meta");
		assertThat(failure.status()).isEqualTo(CeleryStates.FAILURE);
		assertThat(failure.exception()).isEqualTo(new ExceptionInfo("ValueError", List.of("boom"), "builtins"));
		assertThat(failure.traceback()).endsWith("ValueError: boom\n");
		ResultMeta progress = metas.get("plain/03_progress_custom_state.json meta_progress");
		assertThat(progress.status()).isEqualTo("PROGRESS");
		assertThat(progress.result()).isEqualTo(Map.of("p", 50));
		assertThat(progress.dateDone()).isNull();
		assertThat(metas.get("plain/03_progress_custom_state.json meta_final").result()).isEqualTo("done");
		ResultMeta retry = metas.get("plain/04_retry_autoretry.json meta_retry");
		assertThat(retry.status()).isEqualTo(CeleryStates.RETRY);
		assertThat(retry.exception().text()).isEqualTo("flaky attempt 0");
		assertThat(retry.children()).containsExactly(
				Arrays.asList(Arrays.asList("2bcc2a17-98ea-4a1a-9174-bedfdfab6d8b", null), null));
		assertThat(metas.get("plain/04_retry_autoretry.json meta_final").parentId())
			.isEqualTo("2bcc2a17-98ea-4a1a-9174-bedfdfab6d8b");
		ResultMeta member = metas
			.get("plain/05_group_saved.json celery-task-meta-61a1dbc9-3cad-4662-a549-22c25ca3cf2e");
		assertThat(member.groupId()).isEqualTo("e54550fd-2cd5-470c-b080-b28a7fe7423b");
		assertThat(member.result()).isEqualTo(2);
		ResultMeta chordBody = metas.get("plain/06_chord.json celery-task-meta-2b245f00-2093-42a3-99de-623ac30b7e48");
		assertThat(chordBody.result()).isEqualTo(6);
		assertThat(chordBody.parentId()).isEqualTo("223a9b50-97ec-49b7-8587-250b8f1aa5de");
		assertThat(chordBody.groupId()).isNull();
		ResultMeta extended = metas.get("extended/06_chord.json celery-task-meta-8b13493e-6d0f-4c44-b7a8-5b7ad79bbc0e");
		assertThat(extended.extended()).isEqualTo(new ResultMeta.Extended("labapp.xsum", List.of(List.of(2, 4)),
				Map.of(), "cres1@vm", 0, "celery"));
		assertThat(metas.get("extended/03_progress_custom_state.json meta_progress").extended().args())
			.containsExactly(1.0);
		assertThat(metas.get("extended/04_retry_autoretry.json meta_final").extended().retries()).isEqualTo(1);
	}

	@Test
	void metasOfOtherKindsAreNotTaskMetas() {
		Map<String, Object> keys = map(CeleryFixtures.load("redis-results/plain/05_group_saved.json").get("keys"));
		List<String> others = keys.keySet().stream().filter((key) -> !key.startsWith(META_PREFIX)).toList();
		assertThat(others).containsExactly("celery-taskset-meta-e54550fd-2cd5-470c-b080-b28a7fe7423b");
		assertThat(list(map(map(keys.get(others.get(0))).get("parsed")).get("result"))).hasSize(2);
	}

}
