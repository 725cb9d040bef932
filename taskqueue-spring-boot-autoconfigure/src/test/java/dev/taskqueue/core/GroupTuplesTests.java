package dev.taskqueue.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.canvas.CanvasLimits;
import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link GroupTuples}: the member ids of the group result tuples Celery saves.
 */
class GroupTuplesTests {

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	@Test
	void readsTheMembersOfASavedGroup() {
		assertThat(memberIds("[[\"g\", null], [[[\"a\", null], null], [[\"b\", null], null]]]"))
			.containsExactly("a", "b");
	}

	@Test
	void flattensNestedGroupsInOrderAndSkipsParents() {
		// Python: GroupResult('g', [AsyncResult('a'), GroupResult('g2', [AsyncResult('b'),
		// AsyncResult('c', parent=AsyncResult('p'))]), AsyncResult('d')]).as_tuple()
		String celery = "[[\"g\", null], [[[\"a\", null], null], [[\"g2\", null], [[[\"b\", null], null], "
				+ "[[\"c\", [[\"p\", null], null]], null]]], [[\"d\", null], null]]]";
		assertThat(memberIds(celery)).containsExactly("a", "b", "c", "d");
	}

	@Test
	void readsBareIdsAsResultFromTupleDoes() {
		assertThat(memberIds("[\"g\", [[\"a\", null], [[\"b\", null], null]]]")).containsExactly("a", "b");
	}

	@Test
	void readsAnEmptyGroup() {
		assertThat(memberIds("[[\"g\", null], []]")).isEmpty();
	}

	@Test
	void refusesWhatIsNotAPair() {
		assertMalformed(null, "the group is not a [id, children] pair: null");
		assertMalformed(List.of("g"), "the group is not a [id, children] pair: [g]");
		assertMalformed(json("[[\"g\", null], [\"a\"]]"), "child 1 at depth 1 is not a [id, children] pair: a");
	}

	@Test
	void refusesATaskTupleForAGroup() {
		assertMalformed(json("[[\"a\", null], null]"), "the group is saved as a single task's tuple [[a, null], null]");
	}

	@Test
	void refusesChildrenThatAreNotAList() {
		assertMalformed(json("[[\"g\", null], {\"a\": 1}]"), "the group has children that are not a list: {a=1}");
	}

	@Test
	void refusesAMemberWithoutId() {
		assertMalformed(json("[[\"g\", null], [[[\"a\", null], null], [[1, null], null]]]"),
				"child 2 at depth 1 has no id: [1, null]");
		assertMalformed(json("[[\"g\", null], [[[], null]]]"), "child 1 at depth 1 has no id: []");
	}

	@Test
	void refusesGroupsNestedTooDeep() {
		List<Object> tuple = Arrays.asList(Arrays.asList("leaf", null), null);
		for (int depth = 0; depth <= CanvasLimits.MAX_DEPTH; depth++) {
			tuple = Arrays.asList(Arrays.asList("g" + depth, null), new ArrayList<>(List.of(tuple)));
		}
		assertMalformed(tuple, "its groups nest deeper than " + CanvasLimits.MAX_DEPTH + " levels");
	}

	@Test
	void readsGroupsNestedToTheLimit() {
		List<Object> tuple = Arrays.asList(Arrays.asList("leaf", null), null);
		for (int depth = 0; depth < CanvasLimits.MAX_DEPTH; depth++) {
			tuple = Arrays.asList(Arrays.asList("g" + depth, null), new ArrayList<>(List.of(tuple)));
		}
		assertThat(GroupTuples.memberIds("g", tuple)).containsExactly("leaf");
	}

	private static List<String> memberIds(String json) {
		return GroupTuples.memberIds("g", json(json));
	}

	private static void assertMalformed(List<?> tuple, String why) {
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> GroupTuples.memberIds("g", tuple))
			.withMessage("Group g is not saved as Celery's group result tuple "
					+ "[[group_id, null], [[[task_id, null], null], ...]]: " + why);
	}

	private static List<?> json(String json) {
		return MAPPER.readValue(json, List.class);
	}

}
