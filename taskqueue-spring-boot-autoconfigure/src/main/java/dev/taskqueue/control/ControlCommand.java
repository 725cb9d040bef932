package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The handler of one remote-control command ({@code ping}, {@code stats}, {@code revoke}, ...)
 * on a worker, as Celery's {@code celery.worker.control} handlers: called with the request's
 * {@code arguments}, it returns the reply value of this node, which is sent as
 * {@code {"<node>": <value>}}. A {@link ControlCommandException} becomes the reply
 * {@code {"error": "<Python repr>"}}, as Celery replies to a failed command.
 */
@FunctionalInterface
public interface ControlCommand {

	/**
	 * Run the command.
	 * @param arguments the request's arguments: JSON values (strings, numbers, booleans,
	 * lists, maps and {@code null}), read from an untrusted message
	 * @return the reply value: JSON values, or {@code null}
	 * @throws ControlCommandException when the command fails or its arguments are wrong
	 */
	@Nullable Object handle(Map<String, @Nullable Object> arguments);

}
