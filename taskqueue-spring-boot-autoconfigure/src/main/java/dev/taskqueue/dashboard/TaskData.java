package dev.taskqueue.dashboard;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.TaskQuery;
import dev.taskqueue.events.TaskSnapshot;
import dev.taskqueue.protocol.CeleryStates;

/**
 * The tasks pages' data: the list from the fleet's events, and a task's detail, its events
 * merged with the state the result backend holds, which wins when it is as far along (a
 * {@code PROGRESS} meta, a result, a traceback, a revoke the events never told).
 */
final class TaskData {

	static final int MAX_LIMIT = 1_000;

	static final int MAX_CHILDREN = 1_000;

	private final @Nullable ClusterState state;

	private final TaskOperations tasks;

	TaskData(@Nullable ClusterState state, TaskOperations tasks) {
		this.state = state;
		this.tasks = tasks;
	}

	List<TaskRow> tasks(@Nullable String state, @Nullable String taskName, @Nullable String worker,
			@Nullable String receivedStart, @Nullable String receivedEnd, int limit, int offset) {
		if (limit < 0 || limit > MAX_LIMIT || offset < 0) {
			throw new IllegalArgumentException("'limit' must be within 0 and " + MAX_LIMIT
					+ " and 'offset' must not be negative");
		}
		if (this.state == null) {
			return List.of();
		}
		TaskQuery query = TaskQuery.all()
			.page(limit, offset)
			.filter(blankToNull(worker), blankToNull(taskName), blankToNull(state))
			.receivedBetween(DateParameters.parse("received_start", receivedStart),
					DateParameters.parse("received_end", receivedEnd));
		return this.state.tasks(query).stream().map(TaskData::row).toList();
	}

	static TaskRow row(TaskSnapshot task) {
		return new TaskRow(task.uuid(), task.name(), task.state(), task.worker(), millis(task.received()),
				millis(task.started()), task.runtime(), Texts.truncate(task.args(), Texts.ROW_CHARS),
				Texts.truncate(task.kwargs(), Texts.ROW_CHARS), Texts.truncate(task.result(), Texts.ROW_CHARS));
	}

	/**
	 * Return a task's detail, with the children its events show found among every task kept.
	 * @param id the task id
	 * @param stored the state the backend told last, or {@code null} to read it
	 * @return the detail; PENDING and not known when neither the events nor the backend know it
	 */
	TaskDetail detail(String id, @Nullable TaskResult stored) {
		return detail(id, stored, childrenSeen(id));
	}

	/**
	 * Return a task's detail.
	 * @param id the task id
	 * @param stored the state the backend told last, or {@code null} to read it
	 * @param seenChildren the ids of the tasks whose events name it their parent
	 * @return the detail; PENDING and not known when neither the events nor the backend know it
	 */
	TaskDetail detail(String id, @Nullable TaskResult stored, Collection<String> seenChildren) {
		TaskSnapshot event = (this.state != null) ? this.state.task(id).orElse(null) : null;
		TaskResult backend = (stored != null) ? stored : read(id);
		if (backend != null && backend.state().name().equals(CeleryStates.PENDING)) {
			backend = null;
		}
		String eventState = (event != null) ? event.state() : CeleryStates.PENDING;
		boolean fromBackend = backend != null && rank(backend.state().name()) >= rank(eventState);
		String taskState = fromBackend ? backend.state().name() : eventState;
		String result = null;
		String exception = null;
		Progress progress = null;
		if (fromBackend) {
			if (CeleryStates.isException(taskState)) {
				exception = exception(backend.result());
			}
			else {
				result = Texts.json(backend.result());
				progress = Progress.of(backend.result());
			}
		}
		else if (event != null) {
			result = Texts.truncate(event.result());
			exception = Texts.truncate(event.exception());
		}
		String traceback = (backend != null && backend.traceback() != null) ? backend.traceback()
				: (event != null) ? event.traceback() : null;
		Set<String> children = new LinkedHashSet<>((backend != null) ? backend.children() : List.of());
		children.addAll(seenChildren);
		return new TaskDetail(id, event != null || backend != null,
				(event != null && event.name() != null) ? event.name() : (backend != null) ? backend.name() : null,
				taskState, ready(taskState), progress, result, exception, Texts.truncate(traceback),
				(event != null) ? Texts.truncate(event.args()) : null,
				(event != null) ? Texts.truncate(event.kwargs()) : null,
				(event != null && event.retries() != null) ? event.retries() : (backend != null) ? backend.retries() : null,
				(event != null) ? event.runtime() : null,
				(event != null && event.worker() != null) ? event.worker() : (backend != null) ? backend.worker() : null,
				(event != null && event.parentId() != null) ? event.parentId() : (backend != null) ? backend.parentId() : null,
				(event != null) ? event.rootId() : null, List.copyOf(children),
				(event != null) ? millis(event.received()) : null, (event != null) ? millis(event.started()) : null,
				(backend != null && backend.dateDone() != null) ? millis(backend.dateDone()) : null);
	}

	private @Nullable TaskResult read(String id) {
		try {
			return this.tasks.result(id).meta();
		}
		catch (RuntimeException ex) {
			// no backend, or it is away: the events alone
			return null;
		}
	}

	// a scan of every task kept: once per request or stream, not on each update
	Set<String> childrenSeen(String id) {
		Set<String> children = new LinkedHashSet<>();
		if (this.state == null) {
			return children;
		}
		for (TaskSnapshot task : this.state.tasks(TaskQuery.all().page(Integer.MAX_VALUE, 0))) {
			if (id.equals(task.parentId()) && children.size() < MAX_CHILDREN) {
				children.add(task.uuid());
			}
		}
		return children;
	}

	static boolean ready(String state) {
		return CeleryStates.isReady(state) || "REJECTED".equals(state);
	}

	// how far along a state is, so the newer of the events' and the backend's wins
	static int rank(String state) {
		return switch (state) {
			case CeleryStates.PENDING -> 0;
			case CeleryStates.RECEIVED -> 1;
			case CeleryStates.STARTED -> 2;
			default -> ready(state) ? 4 : 3;
		};
	}

	private static @Nullable String exception(@Nullable Object result) {
		if (result instanceof Map<?, ?> map && map.get("exc_type") != null) {
			Object message = map.get("exc_message");
			String text = (message instanceof List<?> list && list.size() == 1) ? String.valueOf(list.get(0))
					: (message != null) ? Texts.json(message) : "";
			return Texts.truncate(map.get("exc_type") + "(" + text + ")");
		}
		return Texts.json(result);
	}

	private static @Nullable Long millis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/**
	 * A row of the tasks page; times in epoch milliseconds.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param state the state
	 * @param worker the worker's hostname
	 * @param received when received
	 * @param started when started
	 * @param runtime the seconds it ran
	 * @param args the arguments' repr, truncated
	 * @param kwargs the keyword arguments' repr, truncated
	 * @param result the result's repr, truncated
	 */
	record TaskRow(String id, @Nullable String name, String state, @Nullable String worker, @Nullable Long received,
			@Nullable Long started, @Nullable Double runtime, @Nullable String args, @Nullable String kwargs,
			@Nullable String result) {
	}

	/**
	 * A task's detail; texts truncated, times in epoch milliseconds.
	 *
	 * @param id the task id
	 * @param known whether the events or the backend know it
	 * @param name the task name
	 * @param state the state
	 * @param ready whether the state is final
	 * @param progress the meta's {@code current} and {@code total}, when it has them
	 * @param result the result (or a custom state's meta) as JSON or repr
	 * @param exception the exception
	 * @param traceback the traceback
	 * @param args the arguments' repr
	 * @param kwargs the keyword arguments' repr
	 * @param retries the number of retries
	 * @param runtime the seconds it ran
	 * @param worker the worker's hostname
	 * @param parentId the parent task's id
	 * @param rootId the root task's id
	 * @param children the subtasks' ids
	 * @param received when received
	 * @param started when started
	 * @param done when it reached a final state
	 */
	record TaskDetail(String id, boolean known, @Nullable String name, String state, boolean ready,
			@Nullable Progress progress, @Nullable String result, @Nullable String exception,
			@Nullable String traceback, @Nullable String args, @Nullable String kwargs, @Nullable Integer retries,
			@Nullable Double runtime, @Nullable String worker, @Nullable String parentId, @Nullable String rootId,
			List<String> children, @Nullable Long received, @Nullable Long started, @Nullable Long done) {
	}

	/**
	 * The progress a custom state's meta tells.
	 *
	 * @param current how far
	 * @param total of how much
	 */
	record Progress(double current, double total) {

		static @Nullable Progress of(@Nullable Object meta) {
			if (meta instanceof Map<?, ?> map && map.get("current") instanceof Number current
					&& map.get("total") instanceof Number total) {
				return new Progress(current.doubleValue(), total.doubleValue());
			}
			return null;
		}

	}

}
