package dev.taskqueue.sample;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.sample.TaskController.SentTask;

/**
 * Calls tasks through the task clients, over HTTP: the sample's own tasks through
 * {@link SampleTaskClient}, the Python worker's through {@link PythonTaskClient}.
 * <ul>
 * <li>{@code GET /api/clients/add?x=2&y=3} waits and answers {@code {"result": 5}}; so do
 * {@code /api/clients/xsum?numbers=1,2,3} (without holding a request thread) and
 * {@code /api/clients/python/add}, {@code /python/mul} and {@code /python/xsum}.</li>
 * <li>{@code GET /api/clients/mul?x=6&y=7} sends and answers 202 with {@code {id, state}};
 * read the product with {@code GET /api/tasks/{id}}.</li>
 * <li>{@code GET /api/clients/python/fail?message=boom} makes Python raise
 * {@code ValueError}.</li>
 * </ul>
 * A task that fails answers 502 with the exception, one that takes longer than the client's
 * timeout 504, see {@link TaskControllerAdvice}.
 */
@RestController
@RequestMapping("/api/clients")
public class TaskClientController {

	private final SampleTaskClient sample;

	private final PythonTaskClient python;

	public TaskClientController(SampleTaskClient sample, PythonTaskClient python) {
		this.sample = sample;
		this.python = python;
	}

	/**
	 * Add two integers with the sample's {@code tasks.add}.
	 * @param x the first
	 * @param y the second
	 * @return the sum
	 */
	@GetMapping("/add")
	public ClientResult<Long> add(@RequestParam long x, @RequestParam long y) {
		return new ClientResult<>(this.sample.add(x, y));
	}

	/**
	 * Send the sample's {@code tasks.mul}, without waiting.
	 * @param x the first
	 * @param y the second
	 * @return the task id and its state right after sending
	 */
	@GetMapping("/mul")
	public ResponseEntity<SentTask> mul(@RequestParam long x, @RequestParam long y) {
		AsyncResult<Long> result = this.sample.mul(x, y);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/api/tasks/" + result.id()))
			.body(new SentTask(result.id(), result.state().name()));
	}

	/**
	 * Sum integers with the sample's {@code tasks.xsum}; the answer is written when the
	 * result comes.
	 * @param numbers the numbers
	 * @return the sum, later
	 */
	@GetMapping("/xsum")
	public CompletableFuture<ClientResult<Long>> xsum(@RequestParam List<Long> numbers) {
		return this.sample.xsum(numbers).thenApply(ClientResult::new);
	}

	/**
	 * Add two integers with Python's {@code tasks.py_add}.
	 * @param x the first
	 * @param y the second
	 * @return the sum
	 */
	@GetMapping("/python/add")
	public ClientResult<Long> pythonAdd(@RequestParam long x, @RequestParam long y) {
		return new ClientResult<>(this.python.add(x, y));
	}

	/**
	 * Multiply two integers with Python's {@code tasks.mul}, sent with keyword arguments.
	 * @param x the first
	 * @param y the second
	 * @return the product
	 */
	@GetMapping("/python/mul")
	public ClientResult<Long> pythonMul(@RequestParam long x, @RequestParam long y) {
		return new ClientResult<>(this.python.mul(x, y));
	}

	/**
	 * Sum numbers with Python's {@code tasks.xsum}.
	 * @param numbers the numbers
	 * @return the sum, later
	 */
	@GetMapping("/python/xsum")
	public CompletableFuture<ClientResult<Double>> pythonXsum(@RequestParam List<Double> numbers) {
		return this.python.xsum(numbers).thenApply(ClientResult::new);
	}

	/**
	 * Make Python's {@code tasks.fail} raise {@code ValueError(message)}: answers 502.
	 * @param message the message of the exception
	 * @return never, the task fails
	 */
	@GetMapping("/python/fail")
	public ClientResult<@Nullable Object> pythonFail(@RequestParam String message) {
		return new ClientResult<>(this.python.fail(message));
	}

	/**
	 * The result of a task called through a client.
	 *
	 * @param result the task's return value
	 * @param <T> its type
	 */
	public record ClientResult<T>(T result) {
	}

}
