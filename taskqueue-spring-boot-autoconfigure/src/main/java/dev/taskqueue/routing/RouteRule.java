package dev.taskqueue.routing;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.protocol.TaskNamePattern;

/**
 * One entry of Celery's {@code task_routes}: tasks whose name equals the pattern, or matches it
 * as a {@link TaskNamePattern glob}, go to a queue, or to an exchange with a routing key.
 *
 * @param pattern a task name or a glob such as {@code tasks.*}
 * @param queue the queue, or {@code null}
 * @param exchange the exchange, or {@code null}
 * @param routingKey the routing key, or {@code null}
 */
public record RouteRule(String pattern, @Nullable String queue, @Nullable String exchange,
		@Nullable String routingKey) {

	public RouteRule {
		Assert.hasText(pattern, "'pattern' must not be empty");
		Assert.isTrue(queue != null || exchange != null,
				() -> "Route '" + pattern + "' must name a queue or an exchange");
	}

	/**
	 * Whether the rule applies to a task.
	 * @param taskName the task name
	 * @return whether the name equals the pattern or matches the glob
	 */
	public boolean matches(String taskName) {
		return TaskNamePattern.of(this.pattern).matches(taskName);
	}

}
