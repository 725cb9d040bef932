package dev.taskqueue.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@link TaskQueueEndpoint} shows of the whole fleet, Python workers included, and of
 * one task wherever it is.
 */
public final class FleetDescriptors {

	private FleetDescriptors() {
	}

	/**
	 * The workers that answer remote control on this broker, and those that answered before
	 * and do not now.
	 *
	 * @param nodes the workers, by node name
	 */
	public record ClusterDescriptor(List<NodeDescriptor> nodes) implements OperationResponseBody {
	}

	/**
	 * One worker.
	 *
	 * @param name the node name
	 * @param alive whether it answered just now, or its last heartbeat is recent
	 * @param software its software and version from its events, such as {@code py-celery 5.2.6}
	 * or {@code taskqueue 0.1.0}, or {@code null} when no event of it was received
	 * @param lastHeartbeat when its last event arrived, ISO-8601, or {@code null}
	 * @param active its running tasks, when it answered
	 */
	public record NodeDescriptor(String name, boolean alive, @Nullable String software, @Nullable String lastHeartbeat,
			List<NodeTaskDescriptor> active) {
	}

	/**
	 * A task running on a worker.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param args the positional arguments as the worker shows them, or {@code ******} unless
	 * values may be shown
	 * @param kwargs the keyword arguments, likewise
	 * @param timeStart when it started, epoch seconds, or {@code null}
	 */
	public record NodeTaskDescriptor(String id, @Nullable String name, String args, String kwargs,
			@Nullable Double timeStart) {
	}

	/**
	 * One task: its state in the result backend and where it is now.
	 *
	 * @param id the task id
	 * @param state its state in the result backend ({@code PENDING} when unknown or there is
	 * no backend)
	 * @param result its result or error, or {@code ******} unless values may be shown
	 * @param node the worker holding it now, or {@code null} when none says so
	 * @param stage where it is on that worker ({@code active}, {@code reserved}, ...), or
	 * {@code null}
	 */
	public record TaskDescriptor(String id, String state, @Nullable Object result, @Nullable String node,
			@Nullable String stage) implements OperationResponseBody {
	}

}
