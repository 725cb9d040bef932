package dev.taskqueue.actuate;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;

import dev.taskqueue.worker.WorkerState.ActiveTask;

/**
 * Description of the task queue and its worker, returned by {@link TaskQueueEndpoint}.
 *
 * @param node the node name of the worker, or {@code null} when this application runs none
 * @param running whether the worker is consuming
 * @param broker the broker URL, password masked
 * @param backend the result backend URL, password masked, or {@code null} when there is none
 * @param queues the queues the worker consumes, in order; empty without a worker
 * @param concurrency the number of tasks the worker runs at once, or {@code null} without a
 * worker
 * @param prefetchCount the most messages the worker holds unacknowledged, or {@code null}
 * without a worker
 * @param registeredTasks the names of the tasks the worker runs, sorted
 * @param active the tasks running now, oldest first, their arguments hidden unless values
 * may be shown
 * @param reserved the number of tasks taken from the broker and not started yet
 * @param processed finished tasks: task name to final state to count
 * @param processedTotal the number of finished tasks
 * @param rejected the number of messages moved aside because they could not be run
 */
public record TaskQueueDescriptor(@Nullable String node, boolean running, String broker, @Nullable String backend,
		List<String> queues, @Nullable Integer concurrency, @Nullable Integer prefetchCount,
		List<String> registeredTasks, List<ActiveTaskDescriptor> active, int reserved,
		Map<String, Map<String, Long>> processed, long processedTotal, long rejected)
		implements OperationResponseBody {

	/**
	 * Description of a running task. Its arguments are shown as Celery's {@code inspect active}
	 * shows them, as {@code argsrepr} and {@code kwargsrepr}: Python reprs cut after about 1024
	 * characters. They are {@code ******} unless values may be shown.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param args the positional arguments as a Python tuple repr such as {@code (2, 3)}, or
	 * {@code ******}
	 * @param kwargs the keyword arguments as a Python dict repr such as {@code {'x': 1}}, or
	 * {@code ******}
	 * @param startTime when the task started, ISO-8601 in UTC
	 * @param thread the name of the thread running it
	 */
	public record ActiveTaskDescriptor(String id, String name, String args, String kwargs, String startTime,
			String thread) {

		static ActiveTaskDescriptor of(ActiveTask task, boolean showValues) {
			return new ActiveTaskDescriptor(task.id(), task.name(),
					showValues ? task.argsrepr() : SanitizableData.SANITIZED_VALUE,
					showValues ? task.kwargsrepr() : SanitizableData.SANITIZED_VALUE,
					task.startTime().toString(), task.thread());
		}

	}

}
