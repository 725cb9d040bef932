package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of running tasks: implement it as a bean to change the
 * name or tags of {@code taskqueue.process}.
 */
public interface TaskExecutionObservationConvention extends ObservationConvention<TaskExecutionContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskExecutionContext;
	}

}
