package dev.taskqueue.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.taskqueue.core.TaskRequest;

/**
 * The options of a task sent from the dashboard or the REST API, as Flower passes them to
 * {@code apply_async}: {@code countdown} and {@code expires} in seconds, {@code eta} and
 * {@code expires} as Flower's {@code %Y-%m-%d %H:%M:%S.%f} (UTC) or ISO-8601 dates,
 * {@code queue}, {@code priority}, {@code task_id}, {@code time_limit},
 * {@code soft_time_limit} and {@code ignore_result}. Anything else is refused with the list
 * of what is known, rather than silently ignored.
 */
final class SendOptions {

	static final Set<String> NAMES = Set.of("countdown", "eta", "expires", "queue", "priority", "task_id",
			"time_limit", "soft_time_limit", "ignore_result");

	private SendOptions() {
	}

	static void apply(TaskRequest request, Map<String, ?> options) {
		options.forEach((name, value) -> {
			if (value != null) {
				apply(request, name, value);
			}
		});
	}

	private static void apply(TaskRequest request, String name, Object value) {
		switch (name) {
			case "countdown" -> request.countdown(seconds(name, value));
			case "eta" -> request.eta(date(name, value));
			case "expires" -> {
				if (value instanceof Number) {
					request.expires(seconds(name, value));
				}
				else {
					request.expires(date(name, value));
				}
			}
			case "queue" -> request.queue(text(name, value));
			case "priority" -> request.priority((int) number(name, value));
			case "task_id" -> request.id(text(name, value));
			case "time_limit" -> request.timeLimit(seconds(name, value));
			case "soft_time_limit" -> request.softTimeLimit(seconds(name, value));
			case "ignore_result" -> request.ignoreResult(Boolean.TRUE.equals(value));
			default -> throw new IllegalArgumentException(
					"Unknown option '" + name + "': known are " + new TreeSet<>(NAMES));
		}
	}

	private static Duration seconds(String name, Object value) {
		return Duration.ofNanos(Math.round(number(name, value) * 1e9));
	}

	private static double number(String name, Object value) {
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		try {
			return Double.parseDouble(String.valueOf(value));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Option '" + name + "' must be a number, not '" + value + "'");
		}
	}

	private static String text(String name, Object value) {
		if (value instanceof String text && !text.isBlank()) {
			return text;
		}
		throw new IllegalArgumentException("Option '" + name + "' must be a non-empty string");
	}

	private static Instant date(String name, Object value) {
		Instant date = DateParameters.parse(name, text(name, value));
		if (date == null) {
			throw new IllegalArgumentException("Option '" + name + "' must be a date");
		}
		return date;
	}

}
