package dev.taskqueue.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A task name, or a glob of task names as Celery's {@code task_routes} and
 * {@code task_annotations} take them: {@code *} any characters, dots included, {@code ?} one
 * character, as Python's {@code fnmatch}. Instances are cached by pattern.
 */
public final class TaskNamePattern {

	// Patterns come from configuration (routes, annotations), so the cache stays small; it
	// spares a router a regex compilation per send
	private static final Map<String, TaskNamePattern> cache = new ConcurrentHashMap<>();

	private final String pattern;

	private final @Nullable Pattern glob;

	private TaskNamePattern(String pattern) {
		Assert.hasText(pattern, "'pattern' must not be empty");
		this.pattern = pattern;
		this.glob = (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0) ? compile(pattern) : null;
	}

	/**
	 * Return the pattern of a task name or glob.
	 * @param pattern a task name or a glob such as {@code tasks.*}
	 * @return the pattern
	 */
	public static TaskNamePattern of(String pattern) {
		TaskNamePattern cached = cache.get(pattern);
		return (cached != null) ? cached : cache.computeIfAbsent(pattern, TaskNamePattern::new);
	}

	/**
	 * Whether the pattern is a glob rather than one task name.
	 * @return whether it holds {@code *} or {@code ?}
	 */
	public boolean isGlob() {
		return this.glob != null;
	}

	/**
	 * Whether a task name equals the pattern or matches the glob.
	 * @param taskName the task name
	 * @return whether it matches
	 */
	public boolean matches(String taskName) {
		return this.pattern.equals(taskName) || (this.glob != null && this.glob.matcher(taskName).matches());
	}

	private static Pattern compile(String pattern) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

	@Override
	public String toString() {
		return this.pattern;
	}

}
