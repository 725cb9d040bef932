package dev.taskqueue.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The third element of a v2 body: the canvas that follows the task. Signatures are kept as
 * Celery's JSON objects ({@code task, args, kwargs, options, subtask_type, immutable}).
 *
 * @param callbacks signatures applied with the result ({@code link}), or {@code null}
 * @param errbacks signatures applied on failure ({@code link_error}), or {@code null}
 * @param chain the rest of a chain, reversed (the next task is the last element), or {@code null}
 * @param chord the chord body when the task is a chord header member, or {@code null}
 */
public record Embed(@Nullable List<Map<String, Object>> callbacks, @Nullable List<Map<String, Object>> errbacks,
		@Nullable List<Map<String, Object>> chain, @Nullable Map<String, Object> chord) {

	/** Nothing follows the task. */
	public static final Embed NONE = new Embed(null, null, null, null);

}
