package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.TaskNamePattern;

/**
 * Celery's {@code task_annotations}: options that override what tasks declare, by task name or
 * glob, on top of defaults for every task. A task's options are, from weakest to strongest: the
 * defaults, its {@code @CeleryTask} attributes, the matching globs in the order given, and the
 * entry with its exact name.
 */
public final class TaskAnnotations {

	/** Our defaults and no overrides. */
	public static final TaskAnnotations NONE = new TaskAnnotations(DeclaredTaskOptions.NONE, Map.of());

	private final DeclaredTaskOptions defaults;

	private final List<Override> globs = new ArrayList<>();

	private final Map<String, DeclaredTaskOptions> exact = new LinkedHashMap<>();

	/**
	 * Create the annotations.
	 * @param defaults the options of every task that it does not declare itself
	 * @param overrides options by task name or glob, in order
	 */
	public TaskAnnotations(DeclaredTaskOptions defaults, Map<String, DeclaredTaskOptions> overrides) {
		this.defaults = defaults;
		overrides.forEach((pattern, options) -> {
			TaskNamePattern name = TaskNamePattern.of(pattern);
			if (name.isGlob()) {
				this.globs.add(new Override(name, options));
			}
			else {
				this.exact.put(pattern, options);
			}
		});
	}

	/**
	 * Return the options of a task.
	 * @param name the task name
	 * @param declared the options the task declares
	 * @return the options with the defaults under and the overrides over them
	 */
	public DeclaredTaskOptions optionsOf(String name, DeclaredTaskOptions declared) {
		DeclaredTaskOptions options = this.defaults.overriddenBy(declared);
		for (Override glob : this.globs) {
			if (glob.pattern().matches(name)) {
				options = options.overriddenBy(glob.options());
			}
		}
		DeclaredTaskOptions named = this.exact.get(name);
		return (named != null) ? options.overriddenBy(named) : options;
	}

	private record Override(TaskNamePattern pattern, DeclaredTaskOptions options) {
	}

}
