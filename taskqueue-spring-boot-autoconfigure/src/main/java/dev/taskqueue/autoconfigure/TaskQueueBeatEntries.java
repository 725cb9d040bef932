package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import dev.taskqueue.autoconfigure.TaskQueueProperties.Beat.Entry;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduleEntry;

/**
 * Turns the entries of {@code taskqueue.beat.schedule} into {@link ScheduleEntry schedule
 * entries}, failing start-up on an invalid one with the property that is wrong, and merges
 * them over the entries declared in code.
 */
final class TaskQueueBeatEntries {

	private static final String PREFIX = "taskqueue.beat.schedule.";

	private static final String EXACTLY_ONE = "Set exactly one of every, cron, or the crontab fields minute, hour, "
			+ "day-of-week, day-of-month, month-of-year";

	private TaskQueueBeatEntries() {
	}

	/**
	 * Merge the entries: those of the properties replace those of code of the same name.
	 * @param code the entries declared in code, in order
	 * @param properties the entries of {@code taskqueue.beat.schedule}
	 * @return the entries, in order
	 * @throws IllegalStateException when two code entries have the same name
	 */
	static List<ScheduleEntry> merge(List<ScheduleEntry> code, Map<String, Entry> properties) {
		Map<String, ScheduleEntry> merged = new LinkedHashMap<>();
		for (ScheduleEntry entry : code) {
			if (merged.putIfAbsent(entry.name(), entry) != null) {
				throw new IllegalStateException("Two beat entries declared in code are named '" + entry.name()
						+ "' (ScheduleEntry beans and @Periodic tasks); rename one");
			}
		}
		properties.forEach((name, entry) -> merged.put(name, toScheduleEntry(name, entry)));
		return new ArrayList<>(merged.values());
	}

	/**
	 * Convert one entry of the properties.
	 * @param name the entry name
	 * @param entry the entry
	 * @return the schedule entry
	 * @throws InvalidConfigurationPropertyValueException naming the property that is wrong
	 */
	static ScheduleEntry toScheduleEntry(String name, Entry entry) {
		String task = entry.getTask();
		if (task == null || task.isBlank()) {
			throw invalid(name, "task", task, "Each beat entry needs the name of the task it sends");
		}
		Integer priority = entry.getOptions().getPriority();
		if (priority != null && (priority < 0 || priority > 255)) {
			throw invalid(name, "options.priority", priority, "The priority must be between 0 and 255");
		}
		Duration expires = entry.getOptions().getExpires();
		if (expires != null && (expires.isNegative() || expires.isZero())) {
			throw invalid(name, "options.expires", expires, "The expiry must be positive");
		}
		Duration countdown = entry.getOptions().getCountdown();
		if (countdown != null && countdown.isNegative()) {
			throw invalid(name, "options.countdown", countdown, "The countdown must not be negative");
		}
		ScheduleEntry.Builder builder = ScheduleEntry.builder(name, task)
			.args(entry.getArgs().toArray())
			.kwargs(entry.getKwargs())
			.queue(entry.getQueue())
			.priority(priority)
			.countdown(countdown)
			.expires(expires)
			.schedule(schedule(name, entry));
		entry.getOptions().getHeaders().forEach(builder::header);
		return builder.build();
	}

	private static Schedule schedule(String name, Entry entry) {
		boolean fields = entry.getMinute() != null || entry.getHour() != null || entry.getDayOfWeek() != null
				|| entry.getDayOfMonth() != null || entry.getMonthOfYear() != null;
		int kinds = ((entry.getEvery() != null) ? 1 : 0) + ((entry.getCron() != null) ? 1 : 0) + (fields ? 1 : 0);
		if (kinds != 1) {
			String field = (entry.getCron() != null) ? "cron" : "every";
			Object value = (entry.getCron() != null) ? entry.getCron() : entry.getEvery();
			throw invalid(name, field, value, EXACTLY_ONE + ((kinds == 0) ? "; none is set" : "; several are set"));
		}
		if (entry.getEvery() != null) {
			Duration every = entry.getEvery();
			if (every.isNegative() || every.isZero()) {
				throw invalid(name, "every", every, "The interval must be positive");
			}
			return Schedule.every(every);
		}
		if (entry.getCron() != null) {
			try {
				return Schedule.cron(entry.getCron());
			}
			catch (IllegalArgumentException ex) {
				throw invalid(name, "cron", entry.getCron(), ex.getMessage());
			}
		}
		return crontab(name, entry);
	}

	private static Schedule crontab(String name, Entry entry) {
		// each field alone first, so that the error names the property that is wrong
		checkField(name, "minute", entry.getMinute(), 0);
		checkField(name, "hour", entry.getHour(), 1);
		checkField(name, "day-of-week", entry.getDayOfWeek(), 2);
		checkField(name, "day-of-month", entry.getDayOfMonth(), 3);
		checkField(name, "month-of-year", entry.getMonthOfYear(), 4);
		try {
			return Schedule.crontab(entry.getMinute(), entry.getHour(), entry.getDayOfWeek(), entry.getDayOfMonth(),
					entry.getMonthOfYear());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(name, "minute", entry.getMinute(), ex.getMessage());
		}
	}

	private static void checkField(String name, String field, @Nullable String value, int position) {
		if (value == null) {
			return;
		}
		String[] fields = new String[5];
		fields[position] = value;
		try {
			Schedule.crontab(fields[0], fields[1], fields[2], fields[3], fields[4]);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(name, field, value, ex.getMessage());
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, String field,
			@Nullable Object value, @Nullable String reason) {
		String entry = name.contains(".") ? "taskqueue.beat.schedule[" + name + "]" : PREFIX + name;
		return new InvalidConfigurationPropertyValueException(entry + "." + field, value, reason);
	}

}
