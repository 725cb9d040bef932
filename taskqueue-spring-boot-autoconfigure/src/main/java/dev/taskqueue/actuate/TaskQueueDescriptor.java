package dev.taskqueue.actuate;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;

import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.beat.BeatScheduler.EntryStatus;
import dev.taskqueue.client.TaskClientMethod;
import dev.taskqueue.client.TaskClientVerification;
import dev.taskqueue.worker.WorkerState.ActiveTask;
import dev.taskqueue.worker.WorkerState.RunawayTask;

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
 * @param abandoned the number of tasks whose threads were abandoned at their hard time limit
 * @param runaways the abandoned tasks whose threads still run, oldest first
 * @param beat beat's entries and leadership, or {@code null} when beat is not enabled here
 * @param held the number of tasks held for their ETA or countdown
 * @param queueLengths the consumed queues with the messages waiting in each and its dead
 * letters
 * @param clients the task client methods and their verification, or {@code null} without
 * task clients
 */
public record TaskQueueDescriptor(@Nullable String node, boolean running, String broker, @Nullable String backend,
		List<String> queues, @Nullable Integer concurrency, @Nullable Integer prefetchCount,
		List<String> registeredTasks, List<ActiveTaskDescriptor> active, int reserved,
		Map<String, Map<String, Long>> processed, long processedTotal, long rejected, long abandoned,
		List<RunawayTaskDescriptor> runaways, @Nullable BeatDescriptor beat, int held,
		List<QueueDescriptor> queueLengths, @Nullable ClientsDescriptor clients) implements OperationResponseBody {

	/**
	 * The task clients of this application.
	 *
	 * @param methods every client method and the task it sends
	 * @param verification the latest check against the live workers, or {@code null} when
	 * {@code taskqueue.client.verify} is off or the check has not run yet
	 */
	public record ClientsDescriptor(List<TaskClientMethod> methods, @Nullable TaskClientVerification verification) {
	}

	/**
	 * A queue's length and dead letters.
	 *
	 * @param name the queue name
	 * @param messages the messages waiting, or {@code null} when the broker could not tell
	 * @param deadLetters the dead letters, or {@code null} when the broker could not tell
	 */
	public record QueueDescriptor(String name, @Nullable Long messages, @Nullable Long deadLetters) {
	}

	/**
	 * Description of beat on this instance.
	 *
	 * @param leader whether this instance leads and sends the periodic tasks
	 * @param entries the entries, in order
	 */
	public record BeatDescriptor(boolean leader, List<BeatEntryDescriptor> entries) {

		static BeatDescriptor of(BeatScheduler scheduler) {
			return new BeatDescriptor(scheduler.isLeader(),
					scheduler.entries().stream().map(BeatEntryDescriptor::of).toList());
		}

	}

	/**
	 * Description of a beat entry. The times are those this instance knows: before it first
	 * led, the last run is unknown and the next one too.
	 *
	 * @param name the entry name
	 * @param task the task name
	 * @param schedule the schedule, such as {@code every PT10S}
	 * @param lastRun when its last tick was due, ISO-8601 in UTC, or {@code null}
	 * @param nextRun when its next tick is due, ISO-8601 in UTC, or {@code null}
	 */
	public record BeatEntryDescriptor(String name, String task, String schedule, @Nullable String lastRun,
			@Nullable String nextRun) {

		static BeatEntryDescriptor of(EntryStatus status) {
			return new BeatEntryDescriptor(status.name(), status.task(), status.schedule(),
					(status.lastRun() != null) ? status.lastRun().toString() : null,
					(status.nextRun() != null) ? status.nextRun().toString() : null);
		}

	}

	/**
	 * The result of running a beat entry now.
	 *
	 * @param entry the entry name
	 * @param taskId the id of the task sent
	 */
	public record BeatRunDescriptor(String entry, String taskId) implements OperationResponseBody {

	}

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

	/**
	 * Description of a task abandoned at its hard time limit whose thread still runs: the JVM
	 * cannot stop it, its result is discarded.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param thread the name of the thread running it
	 * @param startTime when the task started, ISO-8601 in UTC
	 * @param abandonedTime when its hard time limit passed, ISO-8601 in UTC
	 */
	public record RunawayTaskDescriptor(String id, String name, String thread, String startTime,
			String abandonedTime) {

		static RunawayTaskDescriptor of(RunawayTask task) {
			return new RunawayTaskDescriptor(task.id(), task.name(), task.thread(), task.startTime().toString(),
					task.abandonedTime().toString());
		}

	}

}
