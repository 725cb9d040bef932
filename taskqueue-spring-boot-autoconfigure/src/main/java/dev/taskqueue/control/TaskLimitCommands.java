package dev.taskqueue.control;

import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.worker.RateLimit;
import dev.taskqueue.worker.TaskSettings;
import dev.taskqueue.worker.WorkerControl;

/**
 * The commands that change a task's limits at run time: {@code rate_limit} and
 * {@code time_limit}, with Celery 5.2's reply texts. Tasks taken from the broker from then on
 * run with the new limits; tasks waiting for a rate-limit token take it at the new rate.
 */
final class TaskLimitCommands {

	private static final Log logger = LogFactory.getLog(TaskLimitCommands.class);

	private final WorkerControl worker;

	TaskLimitCommands(WorkerControl worker) {
		this.worker = worker;
	}

	void registerIn(Map<String, ControlCommand> commands) {
		commands.put("rate_limit", this::rateLimit);
		commands.put("time_limit", this::timeLimit);
	}

	private Map<String, Object> rateLimit(Map<String, @Nullable Object> arguments) {
		String task = new Arguments("rate_limit", arguments).requiredString("task_name");
		Object given = arguments.get("rate_limit");
		RateLimit rate;
		try {
			rate = parse(given);
		}
		catch (IllegalArgumentException ex) {
			return PythonText.error("Invalid rate limit string: " + ex.getMessage());
		}
		RateLimit effective = (rate == RateLimit.UNLIMITED) ? null : rate;
		if (!this.worker.updateTask(task, (settings) -> withRateLimit(settings, effective))) {
			logger.error("Rate limit attempt for unknown task " + task);
			return PythonText.error("unknown task");
		}
		// as Celery, only an empty limit reads as disabled: "0/s" sets a limit of no limit
		boolean disabled = given == null || "".equals(given) || (given instanceof Number number
				&& number.doubleValue() == 0);
		if (disabled) {
			logger.info("Rate limits disabled for tasks of type " + task);
			return PythonText.ok("rate limit disabled successfully");
		}
		logger.info("New rate limit for tasks of type " + task + ": " + given + ".");
		return PythonText.ok("new rate limit set successfully");
	}

	private static @Nullable RateLimit parse(@Nullable Object given) {
		if (given == null) {
			return null;
		}
		if (given instanceof String text) {
			try {
				return RateLimit.parse(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("ValueError(" + PythonText.repr(String.valueOf(ex.getMessage())) + ")",
						ex);
			}
		}
		if (given instanceof Number number && !(given instanceof Double && !Double.isFinite(number.doubleValue()))) {
			double perSecond = number.doubleValue();
			if (perSecond < 0) {
				throw new IllegalArgumentException("ValueError('a rate limit must not be negative')");
			}
			return (perSecond == 0) ? null : new RateLimit(perSecond, Duration.ofSeconds(1));
		}
		throw new IllegalArgumentException("TypeError('rate limit must be str or a number, not "
				+ PythonText.typeName(given) + "')");
	}

	private static TaskSettings withRateLimit(TaskSettings settings, @Nullable RateLimit rate) {
		return new TaskSettings(settings.ignoreResult(), settings.trackStarted(), settings.acksLate(),
				settings.rejectOnWorkerLost(), settings.retry(), settings.timeLimit(), settings.softTimeLimit(), rate,
				settings.rateLimitScope());
	}

	private Map<String, Object> timeLimit(Map<String, @Nullable Object> arguments) {
		Arguments args = new Arguments("time_limit", arguments);
		String task = args.string("task_name");
		Duration hard = limit("hard", args.number("hard"));
		Duration soft = limit("soft", args.number("soft"));
		if (task == null || !this.worker.updateTask(task, (settings) -> new TaskSettings(settings.ignoreResult(),
				settings.trackStarted(), settings.acksLate(), settings.rejectOnWorkerLost(), settings.retry(), hard,
				soft, settings.rateLimit(), settings.rateLimitScope()))) {
			logger.error("Change time limit attempt for unknown task " + task);
			return PythonText.error("unknown task");
		}
		logger.info("New time limits for tasks of type " + task + ": soft=" + soft + " hard=" + hard);
		return PythonText.ok("time limits set successfully");
	}

	// a limit of zero or none is no limit, as in Celery
	private static @Nullable Duration limit(String key, @Nullable Double seconds) {
		if (seconds == null || seconds == 0) {
			return null;
		}
		if (seconds < 0 || seconds > Duration.ofDays(36_500).toSeconds()) {
			throw new ControlCommandException("ValueError", "'" + key + "' must be positive seconds, not " + seconds);
		}
		return Duration.ofNanos(Math.round(seconds * 1e9));
	}

}
