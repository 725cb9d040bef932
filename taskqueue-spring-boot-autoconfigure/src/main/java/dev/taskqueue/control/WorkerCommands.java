package dev.taskqueue.control;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.events.WorkerEventControl;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.worker.WorkerControl;

/**
 * The handlers of Celery's remote-control commands on one worker, by command name, for the
 * mailbox node: the inspect commands ({@code ping}, {@code stats}, {@code active},
 * {@code reserved}, {@code scheduled}, {@code revoked}, {@code registered},
 * {@code active_queues}, {@code query_task}, {@code conf}, {@code clock}, {@code report},
 * {@code hello}) and the control commands ({@code revoke}, {@code terminate},
 * {@code rate_limit}, {@code time_limit}, {@code add_consumer}, {@code cancel_consumer},
 * {@code enable_events}, {@code disable_events}, {@code heartbeat}, {@code pool_grow},
 * {@code pool_shrink}, {@code autoscale}, {@code shutdown}). Set the options, then call
 * {@link #commands()}.
 */
public class WorkerCommands {

	private final WorkerControl worker;

	private final LamportClock clock;

	private Collection<QueueSpec> queues = List.of();

	private Map<String, Object> configuration = Map.of();

	private @Nullable Map<String, @Nullable Object> broker;

	private @Nullable WorkerEventControl events;

	private @Nullable Runnable shutdown;

	/**
	 * Create the commands of a worker.
	 * @param worker the worker, such as {@link dev.taskqueue.worker.WorkerContainer#control()}
	 * @param clock the process' Lamport clock
	 */
	public WorkerCommands(WorkerControl worker, LamportClock clock) {
		Assert.notNull(worker, "'worker' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.worker = worker;
		this.clock = clock;
	}

	/**
	 * Set how the application declares its queues, which {@code active_queues} shows; a
	 * queue not among them shows as Celery creates a queue it does not know.
	 * @param queues the queue declarations
	 */
	public void setQueues(Collection<QueueSpec> queues) {
		this.queues = List.copyOf(queues);
	}

	/**
	 * Set the settings {@code conf} shows. They go to anyone who can send to the broker:
	 * never put credentials in them.
	 * @param configuration setting name to JSON value
	 */
	public void setConfiguration(Map<String, Object> configuration) {
		this.configuration = new LinkedHashMap<>(configuration);
	}

	/**
	 * Set the {@code broker} object of {@code stats}; by default it is read from the broker URL,
	 * without the password.
	 * @param broker the broker object, or {@code null} for the default
	 */
	public void setBrokerInfo(@Nullable Map<String, @Nullable Object> broker) {
		this.broker = (broker != null) ? new LinkedHashMap<>(broker) : null;
	}

	/**
	 * Set the switch of the worker's events; without one {@code enable_events},
	 * {@code disable_events} and {@code heartbeat} reply with an error.
	 * @param events the switch, or {@code null}
	 */
	public void setEventControl(@Nullable WorkerEventControl events) {
		this.events = events;
	}

	/**
	 * Allow {@code shutdown} ({@code taskqueue.control.allow-shutdown}): it runs the given
	 * action on a thread of its own. Refused by default.
	 * @param shutdown stops the worker or the application, or {@code null} to refuse
	 */
	public void setShutdown(@Nullable Runnable shutdown) {
		this.shutdown = shutdown;
	}

	/**
	 * Return the handlers, by command name.
	 * @return the command map, for the mailbox node
	 */
	public Map<String, ControlCommand> commands() {
		Map<String, ControlCommand> commands = new LinkedHashMap<>();
		QueueDeclarations declarations = new QueueDeclarations(this.queues);
		StatsCommand stats = new StatsCommand(this.worker, this.clock, this.broker);
		new NodeCommands(this.worker, this.clock, this.configuration, this.events, this.shutdown)
			.registerIn(commands);
		commands.put("stats", (arguments) -> stats.stats());
		commands.put("active_queues", (arguments) -> declarations.activeQueues(this.worker));
		new TaskInspection(this.worker).registerIn(commands);
		new RevokeCommands(this.worker, this.clock).registerIn(commands);
		new TaskLimitCommands(this.worker).registerIn(commands);
		new ConsumerCommands(this.worker, declarations).registerIn(commands);
		return Map.copyOf(commands);
	}

}
