package dev.taskqueue.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.canvas.CanvasLimits;
import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Signature}: Celery's JSON form, as Celery 5.2.6 wrote it, and immutability.
 */
class SignatureTests {

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	private final Signature add = Signature.of("tasks.add");

	@ParameterizedTest
	@ValueSource(strings = { "11_link_link_error.json", "12_chain.json", "14_chord.json" })
	@SuppressWarnings("unchecked")
	void readsTheSignaturesCeleryEmbedsAndWritesThemBackAsTheyWere(String fixture) throws IOException {
		List<Map<String, Object>> signatures = new ArrayList<>();
		for (Object message : (List<Object>) fixture(fixture).get("messages")) {
			Map<String, Object> envelope = MAPPER.readValue((String) ((Map<String, Object>) message).get("raw"),
					Map.class);
			List<Object> body = MAPPER.readValue(Base64.getDecoder().decode((String) envelope.get("body")), List.class);
			Map<String, Object> embed = (Map<String, Object>) body.get(2);
			for (String key : List.of("callbacks", "errbacks", "chain")) {
				if (embed.get(key) != null) {
					signatures.addAll((List<Map<String, Object>>) embed.get(key));
				}
			}
			if (embed.get("chord") != null) {
				signatures.add((Map<String, Object>) embed.get("chord"));
			}
		}
		assertThat(signatures).isNotEmpty();
		for (Map<String, Object> celery : signatures) {
			Signature signature = Signature.fromMap(celery);
			assertThat(signature.task()).isEqualTo(celery.get("task"));
			assertThat(signature.args()).isEqualTo(celery.get("args"));
			assertThat(signature.options()).isEqualTo(celery.get("options"));
			assertThat(json(signature)).isEqualTo(MAPPER.writeValueAsString(celery));
		}
	}

	@Test
	void writesWhatCeleryWrites() {
		assertThat(json(this.add.args(2, 2))).isEqualTo(compact("""
				{"task": "tasks.add", "args": [2, 2], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}
				"""));
		assertThat(json(Signature.chain(this.add.args(2, 3), this.add.args(4)))).isEqualTo(compact("""
				{"task": "celery.chain", "args": [], "kwargs": {"tasks": [
				{"task": "tasks.add", "args": [2, 3], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false},
				{"task": "tasks.add", "args": [4], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"options": {}, "subtask_type": "chain", "immutable": false}
				"""));
		assertThat(json(Signature.group(this.add.args(1, 1), this.add.args(2, 2)))).isEqualTo(compact("""
				{"task": "celery.group", "args": [], "kwargs": {"tasks": [
				{"task": "tasks.add", "args": [1, 1], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false},
				{"task": "tasks.add", "args": [2, 2], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"options": {}, "subtask_type": "group", "immutable": false}
				"""));
		assertThat(json(Signature.chord(List.of(this.add.args(1, 1), this.add.args(2, 2)), Signature.of("tasks.xsum"))))
			.isEqualTo(compact("""
					{"task": "celery.chord", "args": [], "kwargs": {"kwargs": {}, "header": [
					{"task": "tasks.add", "args": [1, 1], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false},
					{"task": "tasks.add", "args": [2, 2], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}],
					"body": {"task": "tasks.xsum", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}},
					"options": {}, "subtask_type": "chord", "immutable": false}
					"""));
	}

	@Test
	void withersReturnNewSignaturesAndLeaveTheOriginal() {
		Signature original = Signature.of("tasks.add", 1);
		Map<String, Object> before = original.toMap();
		List<Signature> changed = List.of(original.args(2), original.kwargs(Map.of("z", 1)), original.kwarg("z", 1),
				original.immutable(), original.set("queue", "q"), original.queue("q"), original.priority(3),
				original.countdown(Duration.ofSeconds(1)), original.expires(Duration.ofSeconds(1)),
				original.eta(Instant.EPOCH), original.taskId("id"), original.link(this.add),
				original.linkError(this.add));
		for (Signature signature : changed) {
			assertThat(signature).isNotSameAs(original).isNotEqualTo(original);
		}
		assertThat(original.toMap()).isEqualTo(before);
		assertThat(original.args()).containsExactly(1);
		assertThat(original.options()).isEmpty();
		assertThat(original.isImmutable()).isFalse();
	}

	@Test
	void kwargsAddToTheOnesThere() {
		Signature signature = this.add.kwarg("a", 1).kwargs(Map.of("b", 2)).kwarg("a", 3);
		assertThat(signature.kwargs()).containsExactly(Map.entry("a", 3), Map.entry("b", 2));
		assertThat(signature.set("queue", "q").set("queue", null).options()).isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void cannotBeChangedThroughWhatItWasBuiltFromOrHandsOut() {
		List<Object> args = new ArrayList<>(List.of(1));
		Map<String, Object> headers = new LinkedHashMap<>(Map.of("h", "v"));
		Signature signature = Signature.of("tasks.add").args(args).set("headers", headers);
		args.add(2);
		headers.put("h", "changed");
		assertThat(signature.args()).containsExactly(1);
		assertThat(signature.options()).containsEntry("headers", Map.of("h", "v"));
		Signature chain = Signature.chain(signature, this.add);
		Map<String, Object> map = chain.toMap();
		List<Object> steps = (List<Object>) ((Map<String, Object>) map.get("kwargs")).get("tasks");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ((Map<String, Object>) steps.get(0)).put("task", "evil"));
		map.put("task", "evil");
		assertThat(chain.task()).isEqualTo("celery.chain");
	}

	@Test
	void fromMapDoesNotFollowTheMapItWasReadFrom() {
		Map<String, Object> options = new LinkedHashMap<>();
		Map<String, Object> celery = new LinkedHashMap<>(Map.of("task", "tasks.add", "options", options));
		Signature signature = Signature.fromMap(celery);
		options.put("queue", "q");
		celery.put("task", "other");
		assertThat(signature.task()).isEqualTo("tasks.add");
		assertThat(signature.options()).isEmpty();
	}

	@Test
	void timesAreCelerysSecondsAndIsoTime() {
		assertThat(this.add.countdown(Duration.ofMillis(1500)).options()).containsEntry("countdown", 1.5);
		assertThat(this.add.expires(Duration.ofMinutes(1)).options()).containsEntry("expires", 60.0);
		assertThat(this.add.countdown(Duration.ofDays(365L * 1000)).options())
			.containsEntry("countdown", 365.0 * 1000 * 86400);
		assertThat(this.add.eta(Instant.parse("2026-11-21T10:00:00.123456789Z")).options())
			.containsEntry("eta", "2026-11-21T10:00:00.123456+00:00");
		assertThatIllegalArgumentException().isThrownBy(() -> this.add.countdown(Duration.ofSeconds(-1)))
			.withMessage("countdown must not be negative, got PT-1S");
		assertThatIllegalArgumentException().isThrownBy(() -> this.add.priority(256))
			.withMessage("priority must be between 0 and 255, got 256");
	}

	@Test
	void argumentsBelongToTheTasksOfAComposite() {
		assertThatIllegalStateException().isThrownBy(() -> Signature.chain(this.add).args(1))
			.withMessage("Set args on the tasks of a chain, not on the chain itself");
		assertThatIllegalStateException().isThrownBy(() -> Signature.group(this.add).kwarg("a", 1))
			.withMessage("Set kwargs on the tasks of a group, not on the group itself");
	}

	@Test
	void fromMapRefusesWhatIsNotASignature() {
		assertFromMapFails(Map.of("args", List.of()), "A signature needs a task name ('task'), got null");
		assertFromMapFails(Map.of("task", " "), "A signature needs a task name ('task'), got String  ");
		assertFromMapFails(Map.of("task", "tasks.add", "args", "1, 2"),
				"Signature 'tasks.add' has args that are not a list: String 1, 2");
		assertFromMapFails(Map.of("task", "celery.chunks", "subtask_type", "chunks"),
				"Signature 'celery.chunks' has subtask_type 'chunks', which this worker does not apply "
						+ "(chain, group and chord only)");
		assertFromMapFails(Map.of("task", "celery.group", "subtask_type", "group", "kwargs",
				Map.of("tasks", List.of("tasks.add"))), "A signature is a JSON object, not String tasks.add");
		assertFromMapFails(Map.of("task", "celery.chord", "subtask_type", "chord", "kwargs", Map.of("header", List.of())),
				"A signature is a JSON object, not null");
	}

	@Test
	void fromMapRefusesNestingDeeperThanTheLimit() {
		Signature nested = this.add;
		for (int depth = 1; depth < CanvasLimits.MAX_DEPTH; depth++) {
			nested = Signature.chain(nested);
		}
		assertThat(Signature.fromMap(nested.toMap())).isEqualTo(nested);
		Map<String, Object> tooDeep = Signature.chain(nested).toMap();
		assertFromMapFails(tooDeep, "The canvas nests deeper than " + CanvasLimits.MAX_DEPTH
				+ " levels (at 'tasks.add')");
	}

	@Test
	void toStringShowsNoArguments() {
		assertThat(this.add.args("secret")).hasToString("Signature[tasks.add]");
	}

	private static void assertFromMapFails(Map<String, ?> json, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromMap(json)).withMessage(message);
	}

	private static String json(Signature signature) {
		return MAPPER.writeValueAsString(signature.toMap());
	}

	private static String compact(String json) {
		return MAPPER.writeValueAsString(MAPPER.readValue(json, Map.class));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> fixture(String name) throws IOException {
		try (InputStream in = SignatureTests.class.getResourceAsStream("/celery-fixtures/redis-broker/" + name)) {
			assertThat(in).as(name).isNotNull();
			return MAPPER.readValue(in, Map.class);
		}
	}

}
