package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import dev.taskqueue.worker.DeclaredTaskOptions;
import dev.taskqueue.worker.RateLimit;
import dev.taskqueue.worker.TaskAnnotations;

/**
 * Turns the {@code taskqueue.task.*} defaults and the {@code taskqueue.tasks.*} overrides into
 * the worker's {@link TaskAnnotations}.
 */
final class TaskQueueTaskAnnotations {

	private TaskQueueTaskAnnotations() {
	}

	static TaskAnnotations annotations(TaskQueueProperties properties) {
		TaskQueueProperties.Task task = properties.getTask();
		notNegative("taskqueue.task.time-limit", task.getTimeLimit());
		notNegative("taskqueue.task.soft-time-limit", task.getSoftTimeLimit());
		DeclaredTaskOptions defaults = new DeclaredTaskOptions(null, task.isIgnoreResult() ? true : null,
				task.isTrackStarted() ? true : null, task.isAcksLate(), task.isRejectOnWorkerLost(), null, null, null,
				null, null, null, null,
				task.getTimeLimit(), task.getSoftTimeLimit(), null, null);
		Map<String, DeclaredTaskOptions> overrides = new LinkedHashMap<>();
		properties.getTasks().forEach((pattern, override) -> overrides.put(pattern, options(pattern, override)));
		return new TaskAnnotations(defaults, overrides);
	}

	private static DeclaredTaskOptions options(String pattern, TaskQueueProperties.TaskOverride override) {
		Integer maxRetries = override.getMaxRetries();
		if (maxRetries != null && maxRetries < -1) {
			throw new InvalidConfigurationPropertyValueException(name(pattern, "max-retries"), maxRetries,
					"Use -1 for no limit, or 0 and more");
		}
		notNegative(name(pattern, "time-limit"), override.getTimeLimit());
		notNegative(name(pattern, "soft-time-limit"), override.getSoftTimeLimit());
		notNegative(name(pattern, "default-retry-delay"), override.getDefaultRetryDelay());
		return new DeclaredTaskOptions(override.getQueue(), override.getIgnoreResult(), override.getTrackStarted(),
				override.getAcksLate(), override.getRejectOnWorkerLost(), maxRetries, override.getDefaultRetryDelay(),
				null, null, null, null, null, override.getTimeLimit(), override.getSoftTimeLimit(),
				rateLimit(pattern, override.getRateLimit()), null);
	}

	private static @Nullable RateLimit rateLimit(String pattern, @Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return RateLimit.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(name(pattern, "rate-limit"), value, ex.getMessage());
		}
	}

	private static void notNegative(String property, @Nullable Duration value) {
		if (value != null && value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must not be negative (0 for none)");
		}
	}

	private static String name(String pattern, String property) {
		return "taskqueue.tasks[" + pattern + "]." + property;
	}

}
