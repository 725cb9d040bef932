package dev.taskqueue.observation;

import io.micrometer.common.KeyValues;

import dev.taskqueue.observation.TaskObservationDocumentation.TaskKeys;

/**
 * The default {@link TaskPublishObservationConvention}: {@code taskqueue.publish} tagged
 * with the task name, exchange and routing key, the task id as a high-cardinality tag.
 */
public class DefaultTaskPublishObservationConvention implements TaskPublishObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskPublishObservationConvention INSTANCE = new DefaultTaskPublishObservationConvention();

	@Override
	public String getName() {
		return "taskqueue.publish";
	}

	@Override
	public String getContextualName(TaskPublishContext context) {
		return "apply_async/" + context.getMessage().task();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(TaskKeys.TASK.withValue(context.getMessage().task()),
				TaskKeys.EXCHANGE.withValue(context.getDestination().exchange()),
				TaskKeys.ROUTING_KEY.withValue(context.getDestination().routingKey()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(TaskKeys.TASK_ID.withValue(context.getMessage().id()));
	}

}
