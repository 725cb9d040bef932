package dev.taskqueue.client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.control.ActiveQueue;
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

	private final Fleet fleet;

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
		this(clients, new Fleet() {

			@Override
			public Map<String, List<String>> registeredTasks() {
				return control.timeout(timeout).inspect().registered();
			}

			@Override
			public Map<String, List<String>> consumedQueues() {
				Map<String, List<String>> queues = new HashMap<>();
				control.timeout(timeout).inspect().activeQueues().forEach((node, active) -> queues.put(node,
						active.stream().map(ActiveQueue::name).toList()));
				return queues;
			}

		}, timeout, Clock.systemUTC());
	}

	TaskClientVerifier(TaskClientProxyFactory clients, Fleet fleet, Duration timeout, Clock clock) {
		this.clients = clients;
		this.fleet = fleet;
		this.timeout = timeout;
		this.clock = clock;
	}

	/**
	 * Ask the workers now, log the outcome and keep it. When client methods name a queue, the
	 * workers are also asked which queues they consume ({@code inspect active_queues}).
	 * @return the outcome
	 */
	public TaskClientVerification verify() {
		List<TaskClientMethod> methods = this.clients.clientMethods();
		TaskClientVerification verification;
		try {
			verification = compare(methods, this.fleet.registeredTasks());
		}
		catch (RuntimeException ex) {
			verification = new TaskClientVerification(this.clock.instant(), List.of(), methods.size(), List.of(),
					List.of(), ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		log(verification);
		this.last = verification;
		return verification;
	}

	private TaskClientVerification compare(List<TaskClientMethod> methods, Map<String, List<String>> replies) {
		Map<String, Set<String>> tasksByNode = new HashMap<>();
		// Celery appends "[key=value ...]" to each name when taskinfoitems are asked
		replies.forEach((node, names) -> tasksByNode.put(node,
				names.stream().map((name) -> name.split(" ", 2)[0]).collect(Collectors.toSet())));
		List<TaskClientMethod> missing = new ArrayList<>();
		Map<TaskClientMethod, List<String>> registeredBy = new LinkedHashMap<>();
		for (TaskClientMethod method : methods) {
			List<String> nodes = tasksByNode.entrySet()
				.stream()
				.filter((node) -> node.getValue().contains(method.task()))
				.map(Map.Entry::getKey)
				.toList();
			if (nodes.isEmpty()) {
				missing.add(method);
			}
			else {
				registeredBy.put(method, nodes);
			}
		}
		List<TaskClientMethod> unconsumed = new ArrayList<>();
		if (registeredBy.keySet().stream().anyMatch((method) -> method.queue() != null)) {
			Map<String, List<String>> queuesByNode = this.fleet.consumedQueues();
			registeredBy.forEach((method, nodes) -> {
				String queue = method.queue();
				// a node that did not answer active_queues in time is not held against the method
				if (queue != null && nodes.stream()
					.noneMatch((node) -> queuesByNode.getOrDefault(node, List.of(queue)).contains(queue))) {
					unconsumed.add(method);
				}
			});
		}
		return new TaskClientVerification(this.clock.instant(), replies.keySet().stream().sorted().toList(),
				methods.size(), replies.isEmpty() ? List.of() : missing, unconsumed, null);
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
		else if (!verification.missing().isEmpty() || !verification.unconsumed().isEmpty()) {
			if (!verification.missing().isEmpty()) {
				logger.warn("Task client methods whose task no live worker registers (asked " + verification.workers()
						+ "): " + describe(verification.missing()));
			}
			if (!verification.unconsumed().isEmpty()) {
				logger.warn("Task client methods whose queue no live worker registering their task consumes (asked "
						+ verification.workers() + "): " + describe(verification.unconsumed()));
			}
		}
		else if (logger.isInfoEnabled()) {
			logger.info("Task clients verified: the tasks of all " + verification.methods()
					+ " client methods are registered by " + verification.workers());
		}
	}

	private static String describe(List<TaskClientMethod> methods) {
		return methods.stream()
			.map((method) -> method.client() + "." + method.method() + " -> " + method.task()
					+ ((method.queue() != null) ? " on queue " + method.queue() : ""))
			.collect(Collectors.joining("; "));
	}

	/** What the verification asks the workers, by node name. */
	interface Fleet {

		Map<String, List<String>> registeredTasks();

		Map<String, List<String>> consumedQueues();

	}

}
