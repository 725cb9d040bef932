package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.worker.TaskRegistry;

/**
 * Which task names the fleet knows, for Flower's 404 {@code Unknown task}: this application's
 * tasks, those seen in the fleet's events, then those the workers registered
 * ({@code inspect registered}, asked only for a name not found otherwise).
 */
final class FlowerTaskNames {

	private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(1);

	private final @Nullable TaskRegistry registry;

	private final @Nullable ClusterState events;

	private final @Nullable TaskQueueControl control;

	FlowerTaskNames(@Nullable TaskRegistry registry, @Nullable ClusterState events,
			@Nullable TaskQueueControl control) {
		this.registry = registry;
		this.events = events;
		this.control = control;
	}

	/**
	 * Return whether a task name is known; {@code true} when nothing can tell (no registry, no
	 * events, no remote control), so that the task is sent as {@code send-task} would.
	 * @param name the task name
	 * @return whether it is known
	 */
	boolean known(String name) {
		if (this.registry == null && this.events == null && this.control == null) {
			return true;
		}
		if (this.registry != null && this.registry.find(name) != null) {
			return true;
		}
		if (this.events != null && this.events.taskTypes().contains(name)) {
			return true;
		}
		if (this.control != null) {
			return this.control.inspect(INSPECT_TIMEOUT).registered().values().stream()
				.flatMap(Collection::stream)
				.anyMatch((registered) -> registered.equals(name) || registered.startsWith(name + " "));
		}
		return false;
	}

}
