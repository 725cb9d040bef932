package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The tasks this worker can run, by name, each with the settings its declaration and the
 * {@link TaskAnnotations} make.
 */
public class TaskRegistry {

	private final Map<String, TaskEndpoint> endpoints = new ConcurrentHashMap<>();

	private final Map<String, TaskEndpoint> builtins = new ConcurrentHashMap<>();

	private final TaskAnnotations annotations;

	/**
	 * Create a registry with the default settings and no overrides.
	 */
	public TaskRegistry() {
		this(TaskAnnotations.NONE);
	}

	/**
	 * Create a registry.
	 * @param annotations the defaults and overrides of the tasks' own options
	 */
	public TaskRegistry(TaskAnnotations annotations) {
		this.annotations = annotations;
	}

	/**
	 * Register a task with the options it declares, under the defaults and overrides of this
	 * registry.
	 * @param name the task name
	 * @param bean the bean the method is invoked on
	 * @param method the method
	 * @param declared the options the task declares
	 * @return the registered task
	 * @throws IllegalStateException when another method already has the name
	 * @throws IllegalArgumentException when the options make invalid settings
	 */
	public TaskEndpoint register(String name, Object bean, Method method, DeclaredTaskOptions declared) {
		DeclaredTaskOptions options = this.annotations.optionsOf(name, declared);
		TaskEndpoint endpoint = new TaskEndpoint(name, bean, method, options.queue(), options.resolve());
		register(endpoint);
		return endpoint;
	}

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
		TaskEndpoint endpoint = this.endpoints.get(name);
		return (endpoint != null) ? endpoint : this.builtins.get(name);
	}

	/**
	 * Register one of Celery's built-in tasks ({@code celery.*}): found by {@link #find} unless
	 * the application declares a task of that name, but not listed by {@link #names()} and
	 * {@link #endpoints()}, as Celery's {@code inspect registered} leaves built-ins out.
	 * @param endpoint the built-in task
	 */
	void registerBuiltin(TaskEndpoint endpoint) {
		this.builtins.put(endpoint.name(), endpoint);
	}

	/**
	 * Change the settings of a task at run time, as Celery's {@code rate_limit} and
	 * {@code time_limit} commands do: tasks taken from the broker from then on run with them,
	 * and tasks waiting for a rate-limit token take their tokens at the new rate.
	 * @param name the task name
	 * @param change makes the new settings from the current ones
	 * @return whether the task is known
	 * @throws IllegalArgumentException when the change makes invalid settings
	 */
	public boolean update(String name, UnaryOperator<TaskSettings> change) {
		@Nullable Map<String, TaskEndpoint> owner = this.endpoints.containsKey(name) ? this.endpoints
				: this.builtins.containsKey(name) ? this.builtins : null;
		if (owner == null) {
			return false;
		}
		return owner.computeIfPresent(name,
				(key, endpoint) -> endpoint.withSettings(change.apply(endpoint.settings()))) != null;
	}

	/**
	 * Return Celery's built-in tasks ({@code celery.*}) this worker registered.
	 * @return the built-in tasks
	 */
	public Collection<TaskEndpoint> builtins() {
		return this.builtins.values();
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
