package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.TaskTimeoutException;

/**
 * Task results in Flower's shape: {@code task-id}, {@code state}, and once the task is done
 * {@code result} (the exception's Python repr for a failure, as Flower's {@code safe_result})
 * and, for a failure, {@code traceback}.
 */
final class FlowerResults {

	private final TaskOperations tasks;

	private final @Nullable ResultBackend backend;

	FlowerResults(TaskOperations tasks, @Nullable ResultBackend backend) {
		this.tasks = tasks;
		this.backend = backend;
	}

	// whether results can be read: Flower leaves out 'state' and answers 503 otherwise
	boolean configured() {
		return this.backend != null && !(this.backend instanceof DisabledResultBackend);
	}

	/**
	 * Return a task's result as {@code GET /api/task/result} answers it.
	 * @param id the task id
	 * @param timeout how long to wait for the task to finish, {@code null} not to wait
	 * @return the answer
	 * @throws FlowerUnavailableException without a result backend
	 */
	Map<String, @Nullable Object> read(String id, @Nullable Duration timeout) {
		if (!configured()) {
			throw new FlowerUnavailableException("No result backend is configured (taskqueue.backend.url)");
		}
		AsyncResult<Object> result = this.tasks.result(id);
		TaskResult meta;
		if (timeout != null) {
			try {
				meta = result.await(timeout);
			}
			catch (TaskTimeoutException ex) {
				meta = result.meta();
			}
		}
		else {
			meta = result.meta();
		}
		return answer(meta);
	}

	/**
	 * Return a task's state (and its result when done) after it was sent.
	 * @param id the task id
	 * @param result the sent task's result
	 * @param timeout how long to wait for it, {@code null} not to wait
	 * @return {@code task-id}, and {@code state} when a result backend is configured
	 */
	Map<String, @Nullable Object> sent(String id, AsyncResult<Object> result, @Nullable Duration timeout) {
		if (!configured()) {
			Map<String, @Nullable Object> answer = new LinkedHashMap<>();
			answer.put("task-id", id);
			return answer;
		}
		if (timeout == null) {
			Map<String, @Nullable Object> answer = new LinkedHashMap<>();
			answer.put("task-id", id);
			answer.put("state", result.state().name());
			return answer;
		}
		try {
			return answer(result.await(timeout));
		}
		catch (TaskTimeoutException ex) {
			return answer(result.meta());
		}
	}

	// task-id and state; result (and traceback for a failure) once the task is done
	private static Map<String, @Nullable Object> answer(TaskResult meta) {
		Map<String, @Nullable Object> answer = new LinkedHashMap<>();
		answer.put("task-id", meta.id());
		answer.put("state", meta.state().name());
		if (meta.ready()) {
			answer.put("result", safe(meta.result()));
			if (TaskState.FAILURE.equals(meta.state())) {
				answer.put("traceback", meta.traceback());
			}
		}
		return answer;
	}

	// an exception as Python's repr, as Flower writes the exception instance Celery returns
	static @Nullable Object safe(@Nullable Object result) {
		if (result instanceof Map<?, ?> map && map.get("exc_type") instanceof String type) {
			Object message = map.get("exc_message");
			List<?> arguments = (message instanceof List<?> list) ? list : (message != null) ? List.of(message) : List.of();
			return type + arguments.stream().map(FlowerResults::repr).collect(Collectors.joining(", ", "(", ")"));
		}
		return result;
	}

	// a Python literal of an exception argument
	private static String repr(@Nullable Object value) {
		if (value instanceof String text) {
			return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
		}
		return (value != null) ? String.valueOf(value) : "None";
	}

}
