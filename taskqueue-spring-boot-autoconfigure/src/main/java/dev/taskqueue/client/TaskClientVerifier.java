package dev.taskqueue.client;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.control.TaskQueueControl;

/**
 * Asks the live workers, Java and Python, which tasks they register (as
 * {@code celery inspect registered}) and reports the task client methods whose task none of
 * them registers: such a call would end in Celery's {@code NotRegistered}, or wait in a
 * queue no worker of that task consumes. The outcome is logged (WARN for missing tasks or
 * no answer) and kept for the actuator. Thread-safe.
 */
public final class TaskClientVerifier {

	private static final Log logger = LogFactory.getLog(TaskClientVerifier.class);

	private final TaskClientProxyFactory clients;

	private final Supplier<Map<String, List<String>>> registeredTasks;

	private final Duration timeout;

	private final Clock clock;

	private volatile @Nullable TaskClientVerification last;

	/**
	 * Create a verifier asking the workers through remote control.
	 * @param clients the factory of the clients to verify
	 * @param control the remote control of the workers
	 * @param timeout how long to collect the workers' replies
	 */
	public TaskClientVerifier(TaskClientProxyFactory clients, TaskQueueControl control, Duration timeout) {
		this(clients, () -> control.timeout(timeout).inspect().registered(), timeout, Clock.systemUTC());
	}

	TaskClientVerifier(TaskClientProxyFactory clients, Supplier<Map<String, List<String>>> registeredTasks,
			Duration timeout, Clock clock) {
		this.clients = clients;
		this.registeredTasks = registeredTasks;
		this.timeout = timeout;
		this.clock = clock;
	}

	/**
	 * Ask the workers now, log the outcome and keep it.
	 * @return the outcome
	 */
	public TaskClientVerification verify() {
		List<TaskClientMethod> methods = this.clients.clientMethods();
		TaskClientVerification verification;
		try {
			Map<String, List<String>> replies = this.registeredTasks.get();
			Set<String> registered = new HashSet<>();
			// Celery appends "[key=value ...]" to each name when taskinfoitems are asked
			replies.values().forEach((names) -> names.forEach((name) -> registered.add(name.split(" ", 2)[0])));
			List<TaskClientMethod> missing = methods.stream()
				.filter((method) -> !registered.contains(method.task()))
				.toList();
			verification = new TaskClientVerification(this.clock.instant(), replies.keySet().stream().sorted().toList(),
					methods.size(), replies.isEmpty() ? List.of() : missing, null);
		}
		catch (RuntimeException ex) {
			verification = new TaskClientVerification(this.clock.instant(), List.of(), methods.size(), List.of(),
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		log(verification);
		this.last = verification;
		return verification;
	}

	/**
	 * Return the outcome of the latest {@link #verify()}.
	 * @return the latest outcome, or {@code null} before the first
	 */
	public @Nullable TaskClientVerification lastVerification() {
		return this.last;
	}

	private void log(TaskClientVerification verification) {
		if (verification.error() != null) {
			logger.warn("Task clients not verified: the workers could not be asked which tasks they register ("
					+ verification.error() + ")");
		}
		else if (verification.workers().isEmpty()) {
			logger.warn("Task clients not verified: no worker answered 'inspect registered' within " + this.timeout
					+ "; " + verification.methods() + " client methods unchecked");
		}
		else if (!verification.missing().isEmpty()) {
			logger.warn("Task client methods whose task no live worker registers (asked " + verification.workers()
					+ "): " + verification.missing()
						.stream()
						.map((method) -> method.client() + "." + method.method() + " -> " + method.task())
						.collect(Collectors.joining("; ")));
		}
		else if (logger.isInfoEnabled()) {
			logger.info("Task clients verified: the tasks of all " + verification.methods()
					+ " client methods are registered by " + verification.workers());
		}
	}

}
