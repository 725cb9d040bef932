package dev.taskqueue.sample;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;

/**
 * Sends tasks by name and reads their states, over HTTP.
 * <ul>
 * <li>{@code POST /api/tasks/{name}} with a {@link SendTaskRequest} body answers 201 with
 * {@code {id, state}}.</li>
 * <li>{@code GET /api/tasks/{id}} answers {@code {id, state, result, traceback, date_done}}.</li>
 * </ul>
 * Invalid requests answer 400 with {@code {error}}, see {@link TaskControllerAdvice}.
 */
@RestController
@RequestMapping("/api/tasks")
public class TaskController {

	private final TaskOperations tasks;

	public TaskController(TaskOperations tasks) {
		this.tasks = tasks;
	}

	/**
	 * Send a task.
	 * @param name the task name
	 * @param body the arguments and options, or none
	 * @return the task id and its state right after sending
	 */
	@PostMapping("/{name}")
	public ResponseEntity<SentTask> send(@PathVariable String name,
			@RequestBody(required = false) @Nullable SendTaskRequest body) {
		SendTaskRequest request = (body != null) ? body : SendTaskRequest.EMPTY;
		AsyncResult<Object> result = request.applyTo(this.tasks.task(name)).send();
		return ResponseEntity.created(URI.create("/api/tasks/" + result.id()))
			.body(new SentTask(result.id(), result.state().name()));
	}

	/**
	 * Read the state of a task; PENDING for a task nobody stored anything for yet.
	 * @param id the task id
	 * @return the state, result, traceback and completion time
	 */
	@GetMapping("/{id}")
	public TaskStatus status(@PathVariable String id) {
		return TaskStatus.of(this.tasks.result(id));
	}

	/**
	 * A task just sent.
	 *
	 * @param id the task id
	 * @param state its state
	 */
	public record SentTask(String id, String state) {
	}

}
