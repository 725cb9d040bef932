package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a canvas is applied: the partial arguments prepended to its first tasks' own (a
 * parent's result, a chord's joined results, a failed task's id), and the task it continues.
 *
 * @param partialArgs arguments prepended to the arguments of every task applied first,
 * unless it is immutable
 * @param parentId the task whose end applies the canvas, or {@code null} from a client
 * @param rootId the root of that task's workflow, or {@code null} from a client
 */
public record CanvasCall(List<@Nullable Object> partialArgs, @Nullable String parentId, @Nullable String rootId) {

	/** A client's call: no partial arguments, no parent. */
	public static final CanvasCall CLIENT = new CanvasCall(List.of(), null, null);

	public CanvasCall {
		partialArgs = Collections.unmodifiableList(new ArrayList<>(partialArgs));
	}

	/**
	 * A client's call from inside a running task, or from outside any.
	 * @param parentId the running task's id, or {@code null}
	 * @param rootId the running task's root id, or {@code null}
	 * @return the call
	 */
	public static CanvasCall from(@Nullable String parentId, @Nullable String rootId) {
		return new CanvasCall(List.of(), parentId, rootId);
	}

	/**
	 * A worker's call: the result of a finished task, or another value, passed on.
	 * @param value the value prepended
	 * @param parentId the finished task's id
	 * @param rootId its root id
	 * @return the call
	 */
	public static CanvasCall passing(@Nullable Object value, String parentId, String rootId) {
		List<@Nullable Object> args = new ArrayList<>(1);
		args.add(value);
		return new CanvasCall(args, parentId, rootId);
	}

}
