package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code arguments} of control commands, keys in the order Celery's
 * {@code celery.app.control.Control} sends them.
 */
final class CommandArguments {

	private CommandArguments() {
	}

	static Map<String, @Nullable Object> revoke(Object taskId, boolean terminate, String signal) {
		return of("task_id", taskId, "terminate", terminate, "signal", signal);
	}

	static Map<String, @Nullable Object> rateLimit(String taskName, @Nullable String rateLimit) {
		return of("task_name", taskName, "rate_limit", rateLimit);
	}

	static Map<String, @Nullable Object> timeLimit(String taskName, @Nullable Number soft, @Nullable Number hard) {
		return of("task_name", taskName, "hard", hard, "soft", soft);
	}

	static Map<String, @Nullable Object> addConsumer(String queue, @Nullable String exchange, String exchangeType,
			@Nullable String routingKey) {
		return of("queue", queue, "exchange", exchange, "exchange_type", exchangeType, "routing_key", routingKey);
	}

	static Map<String, @Nullable Object> autoscale(int max, int min) {
		return of("max", max, "min", min);
	}

	// Keys and values in turn, nulls allowed
	private static Map<String, @Nullable Object> of(@Nullable Object... keysAndValues) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			arguments.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return arguments;
	}

}
