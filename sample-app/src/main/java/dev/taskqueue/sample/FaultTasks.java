package dev.taskqueue.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.taskqueue.core.CeleryTask;

/**
 * Tasks that break the worker running them, for the fault tests; registered only when
 * {@code sample.fault-tasks=true}.
 */
@Component
@ConditionalOnProperty(name = "sample.fault-tasks", havingValue = "true")
public class FaultTasks {

	/** The exit status of a JVM that {@link #halt()} stopped. */
	public static final int HALT_STATUS = 86;

	/**
	 * Stop this JVM at once, as a crash or the OOM killer does: no shutdown hook runs, and
	 * the task's message is neither acknowledged nor given back.
	 */
	@CeleryTask(name = "tasks.halt")
	public void halt() {
		Runtime.getRuntime().halt(HALT_STATUS);
	}

}
