package dev.taskqueue.events;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One task's state as Celery's {@code celery.events.state.Task} merges its events: each event
 * sets its own timestamp; an event whose state happens before the current one (by Celery's
 * precedence, {@code RETRY} aside) does not change the state, and from {@code task-received}
 * only then its name, arguments, parents, retries, ETA and expiry are taken. Guarded by the
 * {@link ClusterState}'s lock.
 */
final class TaskRecord {

	// celery.states.PRECEDENCE, lower index wins; null stands for any custom state
	private static final List<@Nullable String> PRECEDENCE = Arrays.asList("SUCCESS", "FAILURE", null,
			"REVOKED", "STARTED", "RECEIVED", "REJECTED", "RETRY", "PENDING");

	private static final Set<String> RECEIVED_FIELDS = Set.of("name", "args", "kwargs", "parent_id", "root_id",
			"retries", "eta", "expires");

	// the fields kept from events; others, such as hostname and clock, are the event's own
	private static final Set<String> TASK_FIELDS = Set.of("name", "args", "kwargs", "parent_id", "root_id",
			"retries", "eta", "expires", "result", "exception", "traceback", "runtime", "exchange", "routing_key");

	// keeps 10,000 tasks within memory whatever their senders put in them
	static final int MAX_FIELD_LENGTH = 64 * 1024;

	private static final Map<String, String> STATES = Map.of("sent", "PENDING", "received", "RECEIVED", "started",
			"STARTED", "failed", "FAILURE", "retried", "RETRY", "succeeded", "SUCCESS", "revoked", "REVOKED",
			"rejected", "REJECTED");

	private final String uuid;

	private final Instant firstSeen;

	private final Map<String, @Nullable Instant> times = new HashMap<>();

	private final Map<String, @Nullable Object> fields = new HashMap<>();

	private String state = "PENDING";

	@Nullable private Instant timestamp;

	@Nullable private String worker;

	@Nullable private String client;

	TaskRecord(String uuid, Instant firstSeen) {
		this.uuid = uuid;
		this.firstSeen = firstSeen;
	}

	Instant firstSeen() {
		return this.firstSeen;
	}

	void client(String hostname) {
		this.client = hostname;
	}

	void worker(String hostname) {
		this.worker = hostname;
	}

	void event(String subject, @Nullable Instant timestamp, Map<String, Object> event) {
		String newState = STATES.get(subject);
		if (newState != null) {
			this.times.put(subject, timestamp);
		}
		else {
			newState = subject.toUpperCase(Locale.ROOT);
		}
		boolean before = !newState.equals("RETRY") && !this.state.equals("RETRY")
				&& precedence(newState) > precedence(this.state);
		boolean keepOnlyReceived = before && newState.equals("RECEIVED");
		event.forEach((key, value) -> {
			if (TASK_FIELDS.contains(key) && (!keepOnlyReceived || RECEIVED_FIELDS.contains(key))) {
				this.fields.put(key, bounded(value));
			}
		});
		if (!before) {
			this.state = newState;
			this.timestamp = timestamp;
		}
	}

	private static @Nullable Object bounded(@Nullable Object value) {
		if (value == null || value instanceof Number || value instanceof Boolean) {
			return value;
		}
		String text = value.toString();
		return (text.length() > MAX_FIELD_LENGTH) ? text.substring(0, MAX_FIELD_LENGTH) + "..." : text;
	}

	private static int precedence(String state) {
		int index = PRECEDENCE.indexOf(state);
		return (index >= 0) ? index : PRECEDENCE.indexOf(null);
	}

	@Nullable String name() {
		return string("name");
	}

	@Nullable String workerName() {
		return this.worker;
	}

	String state() {
		return this.state;
	}

	@Nullable Instant received() {
		return this.times.get("received");
	}

	TaskSnapshot snapshot() {
		Object runtime = this.fields.get("runtime");
		Object retries = this.fields.get("retries");
		return new TaskSnapshot(this.uuid, name(), this.state, string("args"), string("kwargs"),
				this.times.get("sent"), received(), this.times.get("started"), this.times.get("succeeded"),
				this.times.get("failed"), this.times.get("retried"), this.times.get("revoked"),
				this.times.get("rejected"), this.timestamp, string("result"), string("exception"),
				string("traceback"), (runtime instanceof Number n) ? n.doubleValue() : null,
				(retries instanceof Number n) ? n.intValue() : null, string("eta"), string("expires"),
				string("root_id"), string("parent_id"), this.worker, this.client, string("exchange"),
				string("routing_key"), this.firstSeen);
	}

	private @Nullable String string(String field) {
		Object value = this.fields.get(field);
		return (value != null) ? value.toString() : null;
	}

}
