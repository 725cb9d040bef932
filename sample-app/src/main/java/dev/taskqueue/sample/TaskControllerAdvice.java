package dev.taskqueue.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.taskqueue.core.TaskSendException;

/**
 * Turns invalid requests to the {@link TaskController} and the {@link CanvasController} into
 * 400 answers of the form {@code {"error": "<message>"}}: unreadable or mistyped JSON, invalid
 * options and signatures, and tasks that cannot be sent.
 */
@RestControllerAdvice(assignableTypes = { TaskController.class, CanvasController.class })
public class TaskControllerAdvice {

	@ExceptionHandler({ IllegalArgumentException.class, TaskSendException.class })
	ResponseEntity<Map<String, String>> invalidRequest(RuntimeException ex) {
		return badRequest(ex.getMessage());
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
