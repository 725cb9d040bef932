package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonResultMetaCodec}.
 */
class JsonResultMetaCodecTests {

	private static final String ID = "00000000-0000-4000-8000-000000000001";

	private final JsonResultMetaCodec codec = new JsonResultMetaCodec();

	private String encode(ResultMeta meta) {
		return new String(this.codec.encode(meta), StandardCharsets.UTF_8);
	}

	private ResultMeta decode(String json) {
		return this.codec.decode(json.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void encodeWritesCeleryKeyOrderWithGroupAndParentThenExtendedFields() {
		ResultMeta meta = new ResultMeta(ID, CeleryStates.SUCCESS, 5, null, List.of(),
				Instant.parse("2026-11-21T17:12:40.954801Z"), "g1", 0, "p1",
				new ResultMeta.Extended("tasks.add", List.of(2, 3), Map.of(), "w1@host", 0, "celery"));
		assertThat(encode(meta)).isEqualTo("{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, "
				+ "\"children\": [], \"date_done\": \"2026-11-21T17:12:40.954801+00:00\", \"group_id\": \"g1\", "
				+ "\"parent_id\": \"p1\", \"name\": \"tasks.add\", \"args\": [2, 3], \"kwargs\": {}, "
				+ "\"worker\": \"w1@host\", \"retries\": 0, \"queue\": \"celery\", \"task_id\": \"" + ID + "\"}");
	}

	@Test
	void encodeLeavesOutUnsetGroupAndParent() {
		ResultMeta meta = new ResultMeta(ID, "PROGRESS", Map.of("p", 50), null, List.of(), null, null,
				null, null, null);
		assertThat(encode(meta)).isEqualTo("{\"status\": \"PROGRESS\", \"result\": {\"p\": 50}, \"traceback\": null, "
				+ "\"children\": [], \"date_done\": null, \"task_id\": \"" + ID + "\"}");
	}

	@Test
	void encodeWritesExceptions() {
		ResultMeta meta = ResultMeta.ofException(ID, CeleryStates.FAILURE,
				new ExceptionInfo("IllegalStateException", List.of("boom", 42), "java.lang"), "trace");
		assertThat(encode(meta)).contains("\"result\": {\"exc_type\": \"IllegalStateException\", "
				+ "\"exc_message\": [\"boom\", 42], \"exc_module\": \"java.lang\"}, \"traceback\": \"trace\"");
		ResultMeta decoded = decode(encode(meta));
		assertThat(decoded.exception()).isEqualTo(meta.exception());
		assertThat(decoded.traceback()).isEqualTo("trace");
	}

	@Test
	void encodeRejectsResultsThatHaveNoJsonForm() {
		ResultMeta meta = ResultMeta.of(ID, CeleryStates.SUCCESS, new Object());
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.codec.encode(meta))
			.withMessageContaining(ID)
			.withMessageContaining("java.lang.Object");
	}

	@Test
	void encodeRpcWritesTheReducedReply() {
		ResultMeta meta = new ResultMeta(ID, CeleryStates.SUCCESS, 42, null, List.of(), Instant.now(), "g", null, "p",
				new ResultMeta.Extended("t", List.of(), Map.of(), "w", 0, "q"));
		assertThat(new String(this.codec.encodeRpc(meta), StandardCharsets.UTF_8)).isEqualTo("{\"task_id\": \"" + ID
				+ "\", \"status\": \"SUCCESS\", \"result\": 42, \"traceback\": null, \"children\": []}");
	}

	@Test
	void decodeIgnoresUnknownKeysAndReadsOffsets() {
		ResultMeta meta = decode("""
				{"status": "SUCCESS", "result": [1, "a"], "traceback": null, "children": [],
				 "date_done": "2026-11-21T19:12:40.954801+02:00", "stamped_headers": ["s"], "s": 1,
				 "group_index": 3, "task_id": "t1"}""");
		assertThat(meta.result()).isEqualTo(List.of(1, "a"));
		assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-21T17:12:40.954801Z"));
		assertThat(meta.groupIndex()).isEqualTo(3);
		assertThat(meta.extended()).isNull();
	}

	@Test
	void decodeReadsAStringExceptionMessage() {
		ResultMeta meta = decode("""
				{"status": "FAILURE", "result": {"exc_type": "KeyError", "exc_message": "k", "exc_module": "builtins"},
				 "traceback": "t", "children": [], "date_done": "2026-11-21T17:12:40Z", "task_id": "t1"}""");
		assertThat(meta.exception()).isEqualTo(new ExceptionInfo("KeyError", List.of("k"), "builtins"));
	}

	@Test
	void decodeReadsMinimalMetasAndKombuTypedValues() {
		ResultMeta meta = decode("""
				{"status": "SUCCESS", "result": {"__type__": "decimal", "__value__": "1.5"}, "task_id": "t1"}""");
		assertThat(meta.result()).isEqualTo("1.5");
		assertThat(meta.children()).isEmpty();
		assertThat(meta.traceback()).isNull();
		assertThat(meta.dateDone()).isNull();
	}

	@Test
	void decodeRejectsMetasWithoutTaskId() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode("{\"status\": \"SUCCESS\", \"result\": 5}"))
			.withMessageContaining("'task_id'");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode("{\"result\": [[\"g\", null], []]}"))
			.withMessageContaining("'task_id'");
	}

	@Test
	void decodeRejectsInvalidJsonAndBadDates() {
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> decode("{\"status\": "))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> decode("[1]"))
			.withMessageContaining("task meta");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode("{\"status\": \"SUCCESS\", \"date_done\": \"yesterday\", \"task_id\": \"t\"}"))
			.withMessageContaining("'date_done'");
	}

}
