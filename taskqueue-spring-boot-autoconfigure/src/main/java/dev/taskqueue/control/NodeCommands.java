package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.events.WorkerEventControl;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.worker.WorkerControl;

/**
 * The commands about the node itself: {@code ping}, {@code clock}, {@code conf},
 * {@code report}, the event switches ({@code enable_events}, {@code disable_events},
 * {@code heartbeat}) and {@code shutdown}, which runs only where it is allowed.
 */
final class NodeCommands {

	private static final Log logger = LogFactory.getLog(NodeCommands.class);

	static final String SHUTDOWN_DISABLED = "shutdown is disabled on this worker (taskqueue.control.allow-shutdown)";

	private final WorkerControl worker;

	private final LamportClock clock;

	private final Map<String, Object> configuration;

	private final @Nullable WorkerEventControl events;

	private final @Nullable Runnable shutdown;

	/**
	 * Create the commands.
	 * @param worker the worker
	 * @param clock the process' clock
	 * @param configuration the settings {@code conf} shows, none of them secret
	 * @param events the switch of the worker's events, or {@code null} when it sends none
	 * @param shutdown stops the worker, or {@code null} when remote control may not
	 */
	NodeCommands(WorkerControl worker, LamportClock clock, Map<String, Object> configuration,
			@Nullable WorkerEventControl events, @Nullable Runnable shutdown) {
		this.worker = worker;
		this.clock = clock;
		this.configuration = new LinkedHashMap<>(configuration);
		this.events = events;
		this.shutdown = shutdown;
	}

	void registerIn(Map<String, ControlCommand> commands) {
		commands.put("ping", (arguments) -> PythonText.ok("pong"));
		commands.put("clock", (arguments) -> Map.of("clock", this.clock.forward()));
		commands.put("conf", (arguments) -> {
			new Arguments("conf", arguments).bool("with_defaults", false);
			return new LinkedHashMap<>(this.configuration);
		});
		commands.put("report", (arguments) -> PythonText.ok(report()));
		commands.put("enable_events", (arguments) -> events().enableTaskEvents()
				? PythonText.ok("task events enabled") : PythonText.ok("task events already enabled"));
		commands.put("disable_events", (arguments) -> events().disableTaskEvents()
				? PythonText.ok("task events disabled") : PythonText.ok("task events already disabled"));
		commands.put("heartbeat", (arguments) -> {
			events().sendHeartbeat();
			return null;
		});
		commands.put("shutdown", this::shutdown);
	}

	private WorkerEventControl events() {
		if (this.events == null) {
			throw new ControlCommandException("RuntimeError", "this worker sends no events");
		}
		return this.events;
	}

	private Map<String, Object> shutdown(Map<String, @Nullable Object> arguments) {
		String message = new Arguments("shutdown", arguments).string("msg");
		Runnable stop = this.shutdown;
		if (stop == null) {
			logger.warn("Refused a shutdown from remote control: " + SHUTDOWN_DISABLED);
			return PythonText.error(SHUTDOWN_DISABLED);
		}
		logger.warn("Got shutdown from remote" + ((message != null) ? ": " + message : ""));
		Thread thread = new Thread(() -> {
			try {
				stop.run();
			}
			catch (RuntimeException | Error ex) {
				logger.error("Shutdown from remote control failed", ex);
			}
		}, "taskqueue-remote-shutdown");
		thread.start();
		return PythonText.ok("Got shutdown from remote");
	}

	private String report() {
		String version = NodeCommands.class.getPackage().getImplementationVersion();
		Runtime.Version java = Runtime.version();
		return "software -> taskqueue:" + ((version != null) ? version : "unknown") + " (java " + java + ")\n"
				+ "platform -> system:" + System.getProperty("os.name") + " arch:" + System.getProperty("os.arch")
				+ " jvm:" + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + "\n"
				+ "node -> " + this.worker.hostname() + " concurrency:" + this.worker.concurrency() + " queues:"
				+ this.worker.queues() + "\n";
	}

}
