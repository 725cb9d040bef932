package dev.taskqueue.worker;

import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The tasks this worker can run, by name.
 */
public class TaskRegistry {

	private final Map<String, TaskEndpoint> endpoints = new ConcurrentHashMap<>();

	/**
	 * Register a task.
	 * @param endpoint the task
	 * @throws IllegalStateException when another method already has the name
	 */
	public void register(TaskEndpoint endpoint) {
		TaskEndpoint existing = this.endpoints.putIfAbsent(endpoint.name(), endpoint);
		if (existing != null && !existing.method().equals(endpoint.method())) {
			throw new IllegalStateException("Task name '" + endpoint.name() + "' is declared twice: on "
					+ existing.describe() + " and on " + endpoint.describe());
		}
	}

	/**
	 * Find a task.
	 * @param name the task name
	 * @return the task, or {@code null} when this worker does not know it
	 */
	public @Nullable TaskEndpoint find(String name) {
		return this.endpoints.get(name);
	}

	/**
	 * Return the names of all tasks, sorted.
	 * @return the task names
	 */
	public SortedSet<String> names() {
		return new TreeSet<>(this.endpoints.keySet());
	}

	/**
	 * Return all tasks.
	 * @return the task endpoints
	 */
	public Collection<TaskEndpoint> endpoints() {
		return this.endpoints.values();
	}

}
