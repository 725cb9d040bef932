package dev.taskqueue.worker;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.observation.DefaultTaskExecutionObservationConvention;
import dev.taskqueue.observation.TaskExecutionContext;
import dev.taskqueue.observation.TaskExecutionObservationConvention;
import dev.taskqueue.observation.TaskObservationDocumentation;

/**
 * Starts the {@code taskqueue.process} observation of each task a worker runs. With the
 * no-op registry (no Micrometer configured) an observation costs next to nothing.
 *
 * @param registry the registry
 * @param convention the convention, or {@code null} for the default
 */
record ExecutionObservations(ObservationRegistry registry, @Nullable TaskExecutionObservationConvention convention) {

	/** Observations that observe nothing. */
	static final ExecutionObservations NONE = new ExecutionObservations(ObservationRegistry.NOOP, null);

	/**
	 * Start observing a task run; the caller opens its scope around the task and stops it.
	 * @param context the run's context
	 * @return the started observation
	 */
	Observation start(TaskExecutionContext context) {
		return TaskObservationDocumentation.EXECUTION
			.observation(this.convention, DefaultTaskExecutionObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
	}

}
