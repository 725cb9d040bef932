package dev.taskqueue.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.worker.WorkerControl;
import dev.taskqueue.worker.WorkerRequest;

/**
 * The commands about revokes: {@code revoke}, {@code terminate}, {@code revoked} and the
 * mingle {@code hello}, through the worker's {@link RevokedTaskStore}. A revoke every worker
 * receives is written once: ids the store knows already are skipped, unless a terminating
 * revoke must reach a task running here.
 */
final class RevokeCommands {

	private static final Log logger = LogFactory.getLog(RevokeCommands.class);

	/** The most revokes a {@code hello} may bring: Celery's {@code REVOKES_MAX}. */
	static final int MAX_HELLO_REVOKES = 50_000;

	private final WorkerControl worker;

	private final LamportClock clock;

	RevokeCommands(WorkerControl worker, LamportClock clock) {
		this.worker = worker;
		this.clock = clock;
	}

	void registerIn(Map<String, ControlCommand> commands) {
		commands.put("revoke", (arguments) -> revoke("revoke", arguments,
				new Arguments("revoke", arguments).bool("terminate", false)));
		commands.put("terminate", (arguments) -> revoke("terminate", arguments, true));
		commands.put("revoked", (arguments) -> new ArrayList<>(store().revoked().keySet()));
		commands.put("hello", this::hello);
	}

	private Map<String, Object> revoke(String method, Map<String, @Nullable Object> arguments, boolean terminate) {
		Arguments args = new Arguments(method, arguments);
		List<String> ids = args.strings("task_id");
		Object signal = arguments.get("signal");
		if (signal != null && !(signal instanceof String) && !(signal instanceof Integer)) {
			throw new ControlCommandException("TypeError",
					method + "() argument 'signal' must be str, not " + PythonText.typeName(signal));
		}
		RevokedTaskStore store = store();
		Set<String> running = new LinkedHashSet<>();
		if (terminate) {
			for (WorkerRequest request : this.worker.requests()) {
				if (request.stage() == WorkerRequest.Stage.ACTIVE && ids.contains(request.id())) {
					running.add(request.id());
				}
			}
		}
		List<String> toWrite = ids.stream()
			.filter((id) -> !store.isRevoked(id) || running.contains(id))
			.toList();
		write(store, toWrite, terminate);
		if (terminate) {
			if (running.isEmpty()) {
				return PythonText.ok("terminate: tasks unknown");
			}
			logger.info("Terminating " + running + " (revoked by remote control)");
			return PythonText.ok("terminate: " + String.join(", ", running));
		}
		logger.info("Tasks flagged as revoked: " + String.join(", ", ids));
		return PythonText.ok("tasks " + String.join(", ", ids) + " flagged as revoked");
	}

	private static void write(RevokedTaskStore store, List<String> ids, boolean terminate) {
		if (ids.isEmpty()) {
			return;
		}
		try {
			store.revoke(ids, terminate);
		}
		catch (RuntimeException ex) {
			throw new ControlCommandException("RuntimeError", "the revoke could not be kept: " + ex.getMessage());
		}
	}

	// Celery's mingle: take in the revokes of a worker that starts, and answer with this
	// worker's revokes (when each was made, in float seconds) and clock.
	private @Nullable Map<String, Object> hello(Map<String, @Nullable Object> arguments) {
		Arguments args = new Arguments("hello", arguments);
		String from = args.requiredString("from_node");
		if (from.equals(this.worker.hostname())) {
			return null;
		}
		Map<?, ?> revoked = args.map("revoked");
		if (revoked.size() > MAX_HELLO_REVOKES) {
			throw new ControlCommandException("ValueError",
					"hello() brings " + revoked.size() + " revokes, more than " + MAX_HELLO_REVOKES);
		}
		RevokedTaskStore store = store();
		List<String> learnt = new ArrayList<>();
		for (Map.Entry<?, ?> entry : revoked.entrySet()) {
			if (!(entry.getKey() instanceof String id) || !(entry.getValue() instanceof Number)) {
				throw new ControlCommandException("ValueError", "Expecting float timestamp, got type "
						+ PythonText.typeName(entry.getValue()) + " with value: " + entry.getValue());
			}
			if (!store.isRevoked(id)) {
				learnt.add(id);
			}
		}
		logger.info("sync with " + from + (learnt.isEmpty() ? "" : ": " + learnt.size() + " new revoke(s)"));
		write(store, learnt, false);
		Map<String, Object> known = new LinkedHashMap<>();
		store.revoked().forEach((id, expires) -> known.put(id, revokedAt(store, expires)));
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("revoked", known);
		reply.put("clock", this.clock.forward());
		return reply;
	}

	// when a revoke was made, as a float: Python refuses an integer timestamp
	private static Double revokedAt(RevokedTaskStore store, Instant expires) {
		return PythonText.epochSeconds(expires.minus(store.ttl()));
	}

	private RevokedTaskStore store() {
		RevokedTaskStore store = this.worker.revokedTaskStore();
		if (store == null) {
			throw new ControlCommandException("RuntimeError", "this worker has no store of revoked tasks");
		}
		return store;
	}

}
