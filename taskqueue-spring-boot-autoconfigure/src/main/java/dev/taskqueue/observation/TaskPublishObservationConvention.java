package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of publishing tasks: implement it as a bean to change
 * the name or tags of {@code taskqueue.publish}.
 */
public interface TaskPublishObservationConvention extends ObservationConvention<TaskPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskPublishContext;
	}

}
