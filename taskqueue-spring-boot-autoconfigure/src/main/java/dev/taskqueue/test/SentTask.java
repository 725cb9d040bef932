package dev.taskqueue.test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task an application sent, as a worker would read it from the message, recorded by
 * {@link RecordingTaskOperations}. Argument values are plain JSON values ({@code null},
 * {@link Boolean}, {@link Number}, {@link String}, {@link List}, {@link Map}), as the worker
 * receives them.
 *
 * @param id the task id
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param exchange the exchange it was published to, {@code ""} for the default exchange
 * @param routingKey the routing key it was published with
 * @param queue the queue it was routed to, or {@code null} when the route names only an
 * exchange
 * @param eta when it may run at the earliest (from an ETA or a countdown), or {@code null}
 * @param expires when it expires, or {@code null}
 * @param priority the message priority
 * @param headers the custom headers
 * @param parentId the id of the task that sent it, or {@code null} when sent outside a task
 */
public record SentTask(String id, String name, List<Object> args, Map<String, Object> kwargs, String exchange,
		String routingKey, @Nullable String queue, @Nullable Instant eta, @Nullable Instant expires, int priority,
		Map<String, Object> headers, @Nullable String parentId) {

	/**
	 * The positional argument at a position.
	 * @param position the position, from 0
	 * @return the value
	 */
	public @Nullable Object arg(int position) {
		return this.args.get(position);
	}

	/**
	 * A keyword argument.
	 * @param name the argument name
	 * @return the value, or {@code null} when not sent
	 */
	public @Nullable Object kwarg(String name) {
		return this.kwargs.get(name);
	}

}
