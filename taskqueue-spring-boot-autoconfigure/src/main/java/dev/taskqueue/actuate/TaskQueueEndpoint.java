package dev.taskqueue.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

import dev.taskqueue.actuate.FleetDescriptors.ClusterDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.TaskDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.ActiveTaskDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.BeatDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.BeatRunDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.ClientsDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.QueueDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.RunawayTaskDescriptor;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.client.TaskClientProxyFactory;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerRequest;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * {@link Endpoint @Endpoint} that shows what the task queue of this application is connected
 * to and what its worker is doing: the node name, the broker and backend (passwords masked),
 * the consumed queues, the registered tasks, the running and reserved tasks and the counts of
 * finished tasks by name and state, the tasks abandoned at their hard time limit whose
 * threads still run, much as Celery's {@code inspect stats}, {@code active} and
 * {@code registered} commands report them.
 * <p>
 * An application that only sends tasks has no worker: the worker arguments are then
 * {@code null} and the endpoint reports the connections only.
 * <p>
 * The arguments of running tasks are shown as Celery shows them, as truncated Python reprs,
 * and only when {@link Show showValues} allows it, as Spring Boot's {@code env} endpoint
 * shows property values: never, always, or when authorized. Over JMX, when authorized
 * means always; over the web, {@link TaskQueueEndpointWebExtension} asks the request's
 * security context.
 * <p>
 * When beat runs here, the description has its entries, their last and next ticks and
 * whether this instance leads; the write operation {@code runBeatEntry} sends an entry's
 * task now. Like every write operation of this endpoint, it is off until
 * {@code management.endpoint.taskqueue.access} is {@code unrestricted}: the endpoint's
 * default access is read-only.
 */
@Endpoint(id = "taskqueue", defaultAccess = Access.READ_ONLY)
public class TaskQueueEndpoint {

	private final Broker broker;

	private final @Nullable ResultBackend backend;

	private final @Nullable WorkerContainer worker;

	private final @Nullable WorkerState state;

	private final @Nullable TaskRegistry registry;

	private final Show showValues;

	private final @Nullable BeatScheduler beat;

	private FleetView fleet;

	private FleetActions actions;

	private @Nullable TaskClientProxyFactory clients;

	private @Nullable TaskClientVerifier clientVerifier;

	/**
	 * Create an endpoint.
	 * @param broker the broker tasks are sent to
	 * @param backend the result backend, or {@code null} when there is none
	 * @param worker the worker, or {@code null} when this application runs none
	 * @param state what the worker is doing, or {@code null} when there is no worker
	 * @param registry the tasks the worker runs, or {@code null} when there is no worker
	 * @param showValues when to show the arguments of running tasks
	 */
	public TaskQueueEndpoint(Broker broker, @Nullable ResultBackend backend, @Nullable WorkerContainer worker,
			@Nullable WorkerState state, @Nullable TaskRegistry registry, Show showValues) {
		this(broker, backend, worker, state, registry, showValues, null);
	}

	/**
	 * Create an endpoint that also shows beat.
	 * @param broker the broker tasks are sent to
	 * @param backend the result backend, or {@code null} when there is none
	 * @param worker the worker, or {@code null} when this application runs none
	 * @param state what the worker is doing, or {@code null} when there is no worker
	 * @param registry the tasks the worker runs, or {@code null} when there is no worker
	 * @param showValues when to show the arguments of running tasks
	 * @param beat the beat scheduler, or {@code null} when beat is not enabled
	 */
	public TaskQueueEndpoint(Broker broker, @Nullable ResultBackend backend, @Nullable WorkerContainer worker,
			@Nullable WorkerState state, @Nullable TaskRegistry registry, Show showValues,
			@Nullable BeatScheduler beat) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(showValues, "'showValues' must not be null");
		this.broker = broker;
		this.backend = backend;
		this.worker = worker;
		this.state = state;
		this.registry = registry;
		this.showValues = showValues;
		this.beat = beat;
		this.fleet = new FleetView(null, backend, null);
		this.actions = new FleetActions(null, null, worker);
	}

	/**
	 * Describe the task queue and its worker as they are now.
	 * @return the description
	 */
	@ReadOperation
	public TaskQueueDescriptor taskQueue() {
		return taskQueue(this.showValues.isShown(true));
	}

	TaskQueueDescriptor taskQueue(boolean showValues) {
		WorkerSettings settings = (this.worker != null) ? this.worker.settings() : null;
		return new TaskQueueDescriptor((settings != null) ? settings.hostname() : null,
				this.worker != null && this.worker.isRunning(), this.broker.url(),
				(this.backend != null) ? this.backend.url() : null,
				(settings != null) ? settings.queues() : List.of(),
				(settings != null) ? settings.concurrency() : null, (settings != null) ? settings.prefetch() : null,
				(this.registry != null) ? List.copyOf(this.registry.names()) : List.of(), active(showValues),
				(this.state != null) ? this.state.reservedCount() : 0, processed(),
				(this.state != null) ? this.state.processedTotal() : 0,
				(this.state != null) ? this.state.rejectedCount() : 0,
				(this.state != null) ? this.state.abandonedCount() : 0, runaways(),
				(this.beat != null) ? BeatDescriptor.of(this.beat) : null, held(), queueLengths(), clients());
	}

	private @Nullable ClientsDescriptor clients() {
		if (this.clients == null) {
			return null;
		}
		TaskClientVerifier verifier = this.clientVerifier;
		return new ClientsDescriptor(this.clients.clientMethods(),
				(verifier != null) ? verifier.lastVerification() : null);
	}

	/**
	 * Show a part of the fleet: {@code cluster}, every worker remote control reaches, alive
	 * or not, with its running tasks (their arguments shown as {@link Show showValues}
	 * allows).
	 * @param section the part, {@code cluster}
	 * @return the description
	 */
	@ReadOperation
	public ClusterDescriptor section(@Selector String section) {
		return section(section, this.showValues.isShown(true));
	}

	ClusterDescriptor section(String section, boolean showValues) {
		if (!"cluster".equals(section)) {
			throw new InvalidEndpointRequestException("No section '" + section + "': cluster, or tasks/<id>",
					"No such section");
		}
		return this.fleet.cluster(showValues);
	}

	/**
	 * Show a task: {@code tasks/<id>}, its state and result in the result backend and the
	 * worker holding it now (its result shown as {@link Show showValues} allows).
	 * @param section {@code tasks}
	 * @param id the task id
	 * @return the description
	 */
	@ReadOperation
	public TaskDescriptor item(@Selector String section, @Selector String id) {
		return item(section, id, this.showValues.isShown(true));
	}

	TaskDescriptor item(String section, String id, boolean showValues) {
		if (!"tasks".equals(section)) {
			throw new InvalidEndpointRequestException("No section '" + section + "': tasks/<id>", "No such section");
		}
		return this.fleet.task(id, showValues);
	}

	/**
	 * Act on the fleet: {@code tasks/<id>} revokes a task (with {@code terminate}),
	 * {@code task-types/<name>} sets a task type's rate limit on every worker (with
	 * {@code rateLimit}, such as {@code 10/s}; empty to remove it), {@code queues/<name>}
	 * pauses or resumes consuming a queue on this worker (with {@code action} {@code pause}
	 * or {@code resume}). Off until writes are allowed on the endpoint.
	 * @param section {@code tasks}, {@code task-types} or {@code queues}
	 * @param name the task id, task name or queue name
	 * @param terminate whether a revoked task that runs is interrupted
	 * @param rateLimit the new rate limit of a task type
	 * @param action {@code pause} or {@code resume}
	 * @return what was done
	 */
	@WriteOperation
	public Map<String, Object> act(@Selector String section, @Selector String name, @Nullable Boolean terminate,
			@Nullable String rateLimit, @Nullable String action) {
		return this.actions.act(section, name, terminate, rateLimit, action);
	}

	/**
	 * Set what the fleet views and actions use: remote control to reach every worker, the
	 * fleet's events, and the task operations that revoke.
	 * @param control the remote-control client, or {@code null} when remote control is off
	 * @param events the state built from the fleet's events, or {@code null} when they are not
	 * received
	 * @param tasks the task operations, or {@code null}
	 */
	public void setFleet(@Nullable TaskQueueControl control, @Nullable ClusterState events,
			@Nullable TaskOperations tasks) {
		this.fleet = new FleetView(control, this.backend, events);
		this.actions = new FleetActions(control, tasks, this.worker);
	}

	/**
	 * Show the task clients of the application and their latest verification.
	 * @param clients the factory of the clients, or {@code null}
	 * @param verifier checks the clients against the live workers, or {@code null}
	 */
	public void setClients(@Nullable TaskClientProxyFactory clients, @Nullable TaskClientVerifier verifier) {
		this.clients = clients;
		this.clientVerifier = verifier;
	}

	private int held() {
		if (this.worker == null) {
			return 0;
		}
		return (int) this.worker.control().requests().stream()
			.filter((request) -> request.stage() == WorkerRequest.Stage.SCHEDULED)
			.count();
	}

	private List<QueueDescriptor> queueLengths() {
		if (this.worker == null || !(this.broker instanceof BrokerAdmin admin)) {
			return List.of();
		}
		return this.worker.control().queues().stream()
			.map((queue) -> new QueueDescriptor(queue, count(() -> admin.size(queue)),
					count(() -> admin.deadLetterCount(queue))))
			.toList();
	}

	private static @Nullable Long count(LongSupplier count) {
		try {
			return count.getAsLong();
		}
		catch (RuntimeException ex) {
			// the broker is away: the description says so by a null, the health indicator why
			return null;
		}
	}

	/**
	 * Send a beat entry's task now, whichever instance leads, without changing its schedule.
	 * @param beatEntry the entry name
	 * @return the entry and the id of the task sent
	 */
	@WriteOperation
	public BeatRunDescriptor runBeatEntry(String beatEntry) {
		if (this.beat == null) {
			throw new InvalidEndpointRequestException("Beat is not enabled here (taskqueue.beat.enabled)",
					"Beat is not enabled");
		}
		if (this.beat.entries().stream().noneMatch((entry) -> entry.name().equals(beatEntry))) {
			throw new InvalidEndpointRequestException("No beat entry is named '" + beatEntry + "'",
					"No such beat entry");
		}
		return new BeatRunDescriptor(beatEntry, this.beat.runNow(beatEntry));
	}

	private List<RunawayTaskDescriptor> runaways() {
		if (this.state == null) {
			return List.of();
		}
		return this.state.runawayTasks().stream().map(RunawayTaskDescriptor::of).toList();
	}

	private List<ActiveTaskDescriptor> active(boolean showValues) {
		if (this.state == null) {
			return List.of();
		}
		return this.state.activeTasks().stream().map((task) -> ActiveTaskDescriptor.of(task, showValues)).toList();
	}

	private Map<String, Map<String, Long>> processed() {
		return (this.state != null) ? this.state.processedCounts() : Map.of();
	}

}
