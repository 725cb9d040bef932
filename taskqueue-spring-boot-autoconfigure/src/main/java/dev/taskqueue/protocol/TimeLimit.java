package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code timelimit} header: {@code [hard, soft]} in seconds, either may be absent.
 *
 * @param hard seconds after which the task is stopped and fails, or {@code null}
 * @param soft seconds after which the task is asked to stop, or {@code null}
 */
public record TimeLimit(@Nullable Double hard, @Nullable Double soft) {

	/** No limits: {@code [null, null]}. */
	public static final TimeLimit NONE = new TimeLimit(null, null);

}
