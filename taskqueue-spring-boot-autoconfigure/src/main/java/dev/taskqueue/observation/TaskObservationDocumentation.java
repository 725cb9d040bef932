package dev.taskqueue.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of taskqueue: publishing a task ({@code taskqueue.publish}, contextual
 * name {@code apply_async/<task>}) and running it ({@code taskqueue.process}, contextual name
 * {@code run/<task>}), named as OpenTelemetry's Celery instrumentation names its spans.
 */
public enum TaskObservationDocumentation implements ObservationDocumentation {

	/** Publishing a task message. */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.TASK, TaskKeys.EXCHANGE, TaskKeys.ROUTING_KEY };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.TASK_ID };
		}

	},

	/** Running a task on a worker. */
	EXECUTION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskExecutionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.TASK, TaskKeys.QUEUE, TaskKeys.STATE };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { TaskKeys.TASK_ID };
		}

	};

	/** The keys of the observations' tags. */
	public enum TaskKeys implements KeyName {

		/** The task name. */
		TASK {
			@Override
			public String asString() {
				return "taskqueue.task";
			}
		},

		/** The exchange a task was published to ({@code ""} for the default exchange). */
		EXCHANGE {
			@Override
			public String asString() {
				return "taskqueue.exchange";
			}
		},

		/** The routing key a task was published with: its queue on the default exchange. */
		ROUTING_KEY {
			@Override
			public String asString() {
				return "taskqueue.routing_key";
			}
		},

		/** The queue a task came from. */
		QUEUE {
			@Override
			public String asString() {
				return "taskqueue.queue";
			}
		},

		/** The state a task ended in. */
		STATE {
			@Override
			public String asString() {
				return "taskqueue.state";
			}
		},

		/** The task id. */
		TASK_ID {
			@Override
			public String asString() {
				return "taskqueue.task_id";
			}
		}

	}

}
