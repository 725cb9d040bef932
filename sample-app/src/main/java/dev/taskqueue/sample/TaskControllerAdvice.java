package dev.taskqueue.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.core.TaskTimeoutException;

/**
 * Turns invalid requests to the {@link TaskController}, the {@link CanvasController} and the
 * {@link TaskClientController} into 400 answers of the form {@code {"error": "<message>"}}:
 * unreadable or mistyped JSON, missing or mistyped parameters, invalid options and signatures,
 * and tasks that cannot be sent. A task the {@link TaskClientController} waited for answers
 * 502 when it failed, with the exception as the worker stored it ({@code task_id},
 * {@code exc_type}, {@code exc_module}, {@code exc_message}), and 504 when it did not finish
 * in time ({@code task_id}, {@code state}).
 */
@RestControllerAdvice(assignableTypes = { TaskController.class, CanvasController.class, TaskClientController.class })
public class TaskControllerAdvice {

	@ExceptionHandler({ IllegalArgumentException.class, TaskSendException.class,
			MissingServletRequestParameterException.class })
	ResponseEntity<Map<String, String>> invalidRequest(Exception ex) {
		return badRequest(ex.getMessage());
	}

	@ExceptionHandler(TaskFailedException.class)
	ResponseEntity<Map<String, String>> taskFailed(TaskFailedException ex) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", "Task " + ex.getTaskId() + " failed: " + ex.getExceptionType() + ": "
				+ ex.getExceptionMessage());
		body.put("task_id", ex.getTaskId());
		body.put("exc_type", ex.getExceptionType());
		body.put("exc_module", ex.getExceptionModule());
		body.put("exc_message", ex.getExceptionMessage());
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(body);
	}

	@ExceptionHandler(TaskTimeoutException.class)
	ResponseEntity<Map<String, String>> taskTimedOut(TaskTimeoutException ex) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", ex.getMessage());
		body.put("task_id", ex.getTaskId());
		body.put("state", ex.getLastState().name());
		return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(body);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadableBody(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		String detail = (cause != ex && cause.getMessage() != null) ? cause.getMessage() : ex.getMessage();
		return badRequest("Invalid request body: " + firstLine(detail));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Map<String, String>> mistypedArgument(MethodArgumentTypeMismatchException ex) {
		return badRequest("Invalid value '" + ex.getValue() + "' for " + ex.getName());
	}

	private static ResponseEntity<Map<String, String>> badRequest(@Nullable String message) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.body(Map.of("error", (message != null) ? message : "Bad request"));
	}

	private static String firstLine(@Nullable String text) {
		if (text == null) {
			return "unreadable";
		}
		int newline = text.indexOf('\n');
		return (newline >= 0) ? text.substring(0, newline).trim() : text;
	}

}
