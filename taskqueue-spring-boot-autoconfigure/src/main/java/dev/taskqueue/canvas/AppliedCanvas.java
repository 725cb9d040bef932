package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What applying a signature sent: the id whose result is the canvas's result (the task, the
 * last step of a chain, the body of a chord, or the group), and for a group its members.
 *
 * @param id the task id of the canvas's result, or the group id of a group
 * @param groupId the id of the group or chord header that was sent, or {@code null}
 * @param members the result ids of a group's members, in order; empty for anything else
 */
public record AppliedCanvas(String id, @Nullable String groupId, List<String> members) {

	public AppliedCanvas {
		members = List.copyOf(members);
	}

	static AppliedCanvas task(String id) {
		return new AppliedCanvas(id, null, List.of());
	}

	/** Whether a group was sent, whose result is its members' results. */
	public boolean isGroup() {
		return this.groupId != null && this.groupId.equals(this.id);
	}

	/**
	 * Celery's result tuple ({@code AsyncResult.as_tuple()}), as a task meta's
	 * {@code children} holds it: {@code [[id, null], null]}, or for a group
	 * {@code [[group_id, null], [member tuples]]}.
	 * @return the tuple
	 */
	public List<@Nullable Object> asTuple() {
		if (!isGroup()) {
			return tuple(this.id);
		}
		List<Object> members = new ArrayList<>(this.members.size());
		this.members.forEach((member) -> members.add(tuple(member)));
		return Arrays.asList(Arrays.asList(this.id, null), members);
	}

	private static List<@Nullable Object> tuple(String id) {
		return Arrays.asList(Arrays.asList(id, null), null);
	}

}
