package dev.taskqueue.autoconfigure;

import java.lang.reflect.Method;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.ScheduleEntry;
import dev.taskqueue.core.TaskContext;
import dev.taskqueue.worker.TaskEndpoint;
import dev.taskqueue.worker.TaskRegistry;

/**
 * The beat entries of the {@link Periodic @Periodic} tasks of the registry: one per task,
 * named after the task, without arguments.
 */
final class TaskQueuePeriodicTasks {

	private TaskQueuePeriodicTasks() {
	}

	/**
	 * Return the entries of the periodic tasks.
	 * @param registry the registered tasks
	 * @return the entries, by task name
	 * @throws IllegalStateException when a periodic task takes arguments or its schedule is
	 * invalid, naming the method
	 */
	static List<ScheduleEntry> entries(TaskRegistry registry) {
		List<ScheduleEntry> entries = new ArrayList<>();
		for (TaskEndpoint endpoint : registry.endpoints()) {
			Method method = AopUtils.getMostSpecificMethod(endpoint.method(), AopUtils.getTargetClass(endpoint.bean()));
			Periodic periodic = AnnotatedElementUtils.findMergedAnnotation(method, Periodic.class);
			if (periodic != null) {
				entries.add(entry(endpoint.name(), method, periodic));
			}
		}
		return entries;
	}

	private static ScheduleEntry entry(String task, Method method, Periodic periodic) {
		String where = "@Periodic on " + method.getDeclaringClass().getName() + "." + method.getName();
		if (Arrays.stream(method.getParameterTypes()).anyMatch((type) -> type != TaskContext.class)) {
			throw new IllegalStateException(where + ": a periodic task takes no arguments; send one with arguments "
					+ "from a ScheduleEntry bean or a taskqueue.beat.schedule entry");
		}
		boolean hasEvery = !periodic.every().isBlank();
		boolean hasCron = !periodic.cron().isBlank();
		if (hasEvery == hasCron) {
			throw new IllegalStateException(where + ": set exactly one of every and cron");
		}
		ScheduleEntry.Builder builder = ScheduleEntry.builder(task, task);
		try {
			if (hasEvery) {
				builder.every(DurationStyle.detectAndParse(periodic.every(), ChronoUnit.SECONDS));
			}
			else {
				builder.cron(periodic.cron());
			}
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": invalid " + (hasEvery ? "every '" + periodic.every()
					: "cron '" + periodic.cron()) + "': " + ex.getMessage(), ex);
		}
		return builder.build();
	}

}
