package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CanvasSignature}: reading Celery's JSON form, and {@code link} and
 * {@code link_error} on tasks and composites as Celery 5.2.6 places them (the expected JSON is
 * what Python wrote for the same calls).
 */
class CanvasSignatureTests {

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	private final CanvasSignature add = task("tasks.add");

	private final CanvasSignature callback = task("tasks.cb");

	private final CanvasSignature errback = task("tasks.eb");

	@Test
	void readsMissingFieldsAsCeleryDefaults() {
		CanvasSignature signature = CanvasSignature.from(Map.of("task", "tasks.add"));
		assertThat(json(signature)).isEqualTo("""
				{"task": "tasks.add", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}""");
		assertThat(signature.isTask()).isTrue();
		assertThat(signature.taskId()).isNull();
		assertThat(signature.withOption("task_id", "t1").taskId()).isEqualTo("t1");
	}

	@Test
	void refusesWhatIsNotASignature() {
		assertRefused("tasks.add", "A signature is a JSON object, not String tasks.add");
		assertRefused(null, "A signature is a JSON object, not null");
		assertRefused(new ArrayList<>(), "A signature is a JSON object, not ArrayList []");
		assertRefused(Map.of("task", 1), "A signature needs a task name ('task'), got Integer 1");
		assertRefused(Map.of("task", "tasks.add", "kwargs", new ArrayList<>(List.of(1))),
				"Signature 'tasks.add' has kwargs that are not an object: ArrayList [1]");
		assertRefused(Map.of("task", "tasks.add", "options", "q"),
				"Signature 'tasks.add' has options that are not an object: String q");
		assertRefused(Map.of("task", "tasks.add", "subtask_type", 1),
				"Signature 'tasks.add' has a subtask_type that is not a string: Integer 1");
	}

	@Test
	void linksOnATaskAddToItsListOnce() {
		CanvasSignature linked = this.add.withArgs(List.of(1)).withLink(task("a")).withLink(task("b"))
			.withLink(task("a")).withLinkError(task("e"));
		assertThat(json(linked)).isEqualTo(compact("""
				{"task": "tasks.add", "args": [1], "kwargs": {}, "options": {"link": [
				{"task": "a", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false},
				{"task": "b", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}],
				"link_error": [
				{"task": "e", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"subtask_type": null, "immutable": false}
				"""));
	}

	@Test
	void linkAfterASingleLinkMakesAList() {
		CanvasSignature single = this.add.withOption("link", task("a").toMap());
		assertThat(single.withLink(task("b")).signatures("link")).extracting(CanvasSignature::task)
			.containsExactly("a", "b");
	}

	@Test
	void chainCallbackFollowsTheLastStepAndErrbackGoesOnEveryStep() {
		CanvasSignature chain = CanvasSignature.chain(List.of(this.add, task("tasks.mul"), task("tasks.last")), Map.of())
			.withLink(this.callback)
			.withLinkError(this.errback);
		List<CanvasSignature> steps = chain.tasks();
		assertThat(steps).extracting(CanvasSignature::task).containsExactly("tasks.add", "tasks.mul", "tasks.last");
		assertThat(steps.get(0).signatures("link")).isEmpty();
		assertThat(steps.get(1).signatures("link")).isEmpty();
		assertThat(steps.get(2).signatures("link")).containsExactly(this.callback);
		assertThat(steps).allSatisfy((step) -> assertThat(step.signatures("link_error")).containsExactly(this.errback));
		assertThat(chain.options()).isEmpty();
	}

	@Test
	void groupCallbackGoesOnTheFirstMemberImmutableAndErrbackOnEveryMember() {
		CanvasSignature group = CanvasSignature.group(List.of(this.add.withArgs(List.of(1, 1)),
				this.add.withArgs(List.of(2, 2))), Map.of())
			.withLink(this.callback)
			.withLinkError(this.errback);
		assertThat(json(group)).isEqualTo(compact("""
				{"task": "celery.group", "args": [], "kwargs": {"tasks": [
				{"task": "tasks.add", "args": [1, 1], "kwargs": {}, "options": {
				"link": [{"task": "tasks.cb", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": true}],
				"link_error": [{"task": "tasks.eb", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"subtask_type": null, "immutable": false},
				{"task": "tasks.add", "args": [2, 2], "kwargs": {}, "options": {
				"link_error": [{"task": "tasks.eb", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"subtask_type": null, "immutable": false}]},
				"options": {}, "subtask_type": "group", "immutable": false}
				"""));
		assertThat(this.callback.immutable()).isFalse();
	}

	@Test
	void chordLinksGoOnTheBody() {
		CanvasSignature chord = CanvasSignature.chord(List.of(this.add.withArgs(List.of(1, 1))), task("tasks.xsum"),
				Map.of())
			.withLink(this.callback)
			.withLinkError(this.errback);
		assertThat(json(chord)).isEqualTo(compact("""
				{"task": "celery.chord", "args": [], "kwargs": {"kwargs": {}, "header": [
				{"task": "tasks.add", "args": [1, 1], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}],
				"body": {"task": "tasks.xsum", "args": [], "kwargs": {}, "options": {
				"link": [{"task": "tasks.cb", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}],
				"link_error": [{"task": "tasks.eb", "args": [], "kwargs": {}, "options": {}, "subtask_type": null, "immutable": false}]},
				"subtask_type": null, "immutable": false}},
				"options": {}, "subtask_type": "chord", "immutable": false}
				"""));
	}

	@Test
	void linksLeaveTheOriginalUnchanged() {
		CanvasSignature group = CanvasSignature.group(List.of(this.add), Map.of());
		Map<String, Object> before = group.toMap();
		assertThat(group.withLink(this.callback)).isNotEqualTo(group);
		assertThat(group.withLinkError(this.errback)).isNotEqualTo(group);
		assertThat(group.toMap()).isEqualTo(before);
		assertThat(this.add.withLink(this.callback)).isNotEqualTo(this.add);
		assertThat(this.add.options()).isEmpty();
	}

	@Test
	void chordHeaderMayBeAGroup() {
		Map<String, Object> group = CanvasSignature.group(List.of(this.add, task("tasks.mul")), Map.of()).toMap();
		CanvasSignature chord = CanvasSignature.from(Map.of("task", "celery.chord", "subtask_type", "chord", "kwargs",
				Map.of("header", group, "body", task("tasks.xsum").toMap())));
		assertThat(chord.header()).extracting(CanvasSignature::task).containsExactly("tasks.add", "tasks.mul");
		assertThat(chord.body().task()).isEqualTo("tasks.xsum");
	}

	@Test
	void validateRefusesCallbacksNestedDeeperThanTheLimit() {
		CanvasSignature nested = this.add;
		for (int depth = 1; depth < CanvasLimits.MAX_DEPTH; depth++) {
			nested = this.add.withLink(nested);
		}
		nested.validate();
		CanvasSignature tooDeep = this.add.withLinkError(nested);
		assertThatExceptionOfType(CanvasException.class).isThrownBy(tooDeep::validate)
			.withMessage("The canvas nests deeper than " + CanvasLimits.MAX_DEPTH + " levels (at 'tasks.add')");
	}

	@Test
	void validateRefusesAGroupWiderThanTheLimit() {
		List<CanvasSignature> members = Collections.nCopies(CanvasLimits.MAX_WIDTH + 1, this.add);
		CanvasSignature group = CanvasSignature.group(members, Map.of());
		assertThatExceptionOfType(CanvasException.class).isThrownBy(group::validate)
			.withMessage("A group of " + (CanvasLimits.MAX_WIDTH + 1) + " signatures is more than the "
					+ CanvasLimits.MAX_WIDTH + " allowed");
	}

	@Test
	void refusesValuesNestedDeeperThanTheStackAllows() {
		List<Object> deep = new ArrayList<>();
		for (int depth = 0; depth < FrozenJson.MAX_NESTING; depth++) {
			deep = new ArrayList<>(List.of(deep));
		}
		List<Object> args = List.of(deep);
		assertThatExceptionOfType(CanvasException.class).isThrownBy(() -> this.add.withArgs(args))
			.withMessage("A signature nests lists and objects deeper than " + FrozenJson.MAX_NESTING + " levels");
	}

	private static CanvasSignature task(String name) {
		return CanvasSignature.task(name, List.of(), Map.of(), Map.of(), false);
	}

	private static void assertRefused(Object value, String message) {
		assertThatExceptionOfType(CanvasException.class).isThrownBy(() -> CanvasSignature.from(value))
			.withMessage(message);
	}

	private static String json(CanvasSignature signature) {
		return MAPPER.writeValueAsString(signature.toMap());
	}

	private static String compact(String json) {
		return MAPPER.writeValueAsString(MAPPER.readValue(json, Map.class));
	}

}
