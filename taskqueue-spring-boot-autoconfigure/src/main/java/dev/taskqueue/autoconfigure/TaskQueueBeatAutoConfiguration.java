package dev.taskqueue.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.taskqueue.beat.BeatLeadership;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.ScheduleEntry;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.TaskRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Celery's beat, with {@code taskqueue.beat.enabled=true}: a {@link BeatScheduler} that
 * sends the entries of {@code taskqueue.beat.schedule}, the {@link ScheduleEntry} beans and
 * the {@link Periodic @Periodic} tasks of this application's worker (an entry of the properties
 * replaces one of code of the same name). The leadership and the store of last runs are kept
 * in Redis when the broker or the result backend is Redis, on RabbitMQ when the broker is
 * RabbitMQ and the backend is not Redis, and in this JVM next to the in-memory broker; an
 * application's own {@link BeatLeadership} or {@link BeatStore} bean replaces them.
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
@ConditionalOnBooleanProperty("taskqueue.beat.enabled")
@Import({ TaskQueueBeatTransports.Redis.class, TaskQueueBeatTransports.Amqp.class,
		TaskQueueBeatTransports.Memory.class })
public final class TaskQueueBeatAutoConfiguration {

	private static final Duration MIN_LEASE = Duration.ofSeconds(3);

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskOperations.class)
	BeatScheduler taskQueueBeatScheduler(TaskOperations tasks, BeatLeadership leadership, BeatStore store,
			ObjectProvider<ScheduleEntry> entries, ObjectProvider<TaskRegistry> registry,
			TaskQueueProperties properties) {
		TaskQueueProperties.Beat beat = properties.getBeat();
		if (beat.getLease().compareTo(MIN_LEASE) < 0) {
			throw new InvalidConfigurationPropertyValueException("taskqueue.beat.lease", beat.getLease(),
					"The lease must be at least " + MIN_LEASE.toSeconds() + " seconds");
		}
		List<ScheduleEntry> code = new ArrayList<>(entries.orderedStream().toList());
		// @CeleryTask beans registered their tasks when they were initialized, before this bean
		TaskRegistry tasksOfWorker = registry.getIfUnique();
		if (tasksOfWorker != null) {
			code.addAll(TaskQueuePeriodicTasks.entries(tasksOfWorker));
		}
		return new BeatScheduler(tasks, TaskQueueBeatEntries.merge(code, beat.getSchedule()), leadership, store,
				beat.getTimezone(), beat.getLease(), Clock.systemUTC());
	}

}
