package dev.taskqueue.canvas;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where an applied signature sits in the canvas around it: the id it must take, the rest of
 * the chain after it, and the group or chord it is a member of.
 *
 * @param taskId the id to use, or {@code null} for the signature's own
 * @param chain the steps after it, reversed (the next is last), or {@code null}
 * @param groupId the group it belongs to, or {@code null}
 * @param groupIndex its position in that group, or {@code null}
 * @param chord the body of the chord whose header it is a member of, or {@code null}
 */
record Placement(@Nullable String taskId, @Nullable List<Map<String, Object>> chain, @Nullable String groupId,
		@Nullable Integer groupIndex, @Nullable Map<String, Object> chord) {

	static final Placement NONE = new Placement(null, null, null, null, null);

	static Placement continuing(List<Map<String, Object>> chain) {
		return new Placement(null, chain, null, null, null);
	}

	static Placement member(String groupId, int groupIndex, @Nullable Map<String, Object> chord) {
		return new Placement(null, null, groupId, groupIndex, chord);
	}

	boolean isMember() {
		return this.groupId != null;
	}

}
