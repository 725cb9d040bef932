package dev.taskqueue.observation;

import io.micrometer.common.KeyValues;

import dev.taskqueue.observation.TaskObservationDocumentation.TaskKeys;

/**
 * The default {@link TaskExecutionObservationConvention}: {@code taskqueue.process} tagged
 * with the task name, the queue and the state it ended in, the task id as a
 * high-cardinality tag.
 */
public class DefaultTaskExecutionObservationConvention implements TaskExecutionObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskExecutionObservationConvention INSTANCE = new DefaultTaskExecutionObservationConvention();

	@Override
	public String getName() {
		return "taskqueue.process";
	}

	@Override
	public String getContextualName(TaskExecutionContext context) {
		return "run/" + context.getMessage().task();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskExecutionContext context) {
		String state = context.getState();
		return KeyValues.of(TaskKeys.TASK.withValue(context.getMessage().task()),
				TaskKeys.QUEUE.withValue(context.getQueue()),
				TaskKeys.STATE.withValue((state != null) ? state : "unknown"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskExecutionContext context) {
		return KeyValues.of(TaskKeys.TASK_ID.withValue(context.getMessage().id()));
	}

}
