package dev.taskqueue.protocol;

import java.util.List;
import java.util.Map;

/**
 * A decoded Celery task message: headers, properties and the {@code [args, kwargs, embed]}
 * body. Argument values are plain JSON values ({@code null}, {@link Boolean}, {@link Number},
 * {@link String}, {@link List}, {@link Map}).
 *
 * @param headers the task headers
 * @param properties the message properties
 * @param args positional arguments
 * @param kwargs keyword arguments, in order
 * @param embed callbacks, errbacks, chain and chord
 */
public record TaskMessage(TaskHeaders headers, MessageProperties properties, List<Object> args,
		Map<String, Object> kwargs, Embed embed) {

	public String id() {
		return this.headers.id();
	}

	public String task() {
		return this.headers.task();
	}

}
