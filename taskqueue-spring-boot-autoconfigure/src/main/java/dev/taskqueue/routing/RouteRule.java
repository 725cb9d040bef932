package dev.taskqueue.routing;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * One entry of Celery's {@code task_routes}: tasks whose name equals the pattern, or matches it
 * as a glob ({@code *} any characters, dots included, {@code ?} one character, as Python's
 * {@code fnmatch}), go to a queue, or to an exchange with a routing key.
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
		return this.pattern.equals(taskName) || (isGlob() && glob().matcher(taskName).matches());
	}

	private boolean isGlob() {
		return this.pattern.indexOf('*') >= 0 || this.pattern.indexOf('?') >= 0;
	}

	private Pattern glob() {
		StringBuilder regex = new StringBuilder();
		for (char c : this.pattern.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
