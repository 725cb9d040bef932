package dev.taskqueue.dashboard;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.core.TaskSendException;

/**
 * Turns what the dashboard's and the REST API's handlers throw into a status and
 * {@code {"error": "<reason>"}}: 400 for bad input, 403 for a refused action, 404 for an
 * unknown item, 503 when the broker or a worker cannot be reached.
 */
@RestControllerAdvice(basePackageClasses = DashboardErrors.class)
final class DashboardErrors {

	@ExceptionHandler({ IllegalArgumentException.class, MethodArgumentTypeMismatchException.class })
	ResponseEntity<Map<String, String>> badRequest(Exception ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return error(HttpStatus.BAD_REQUEST, "The request body is not valid JSON");
	}

	@ExceptionHandler(ActionRefusedException.class)
	ResponseEntity<Map<String, String>> refused(ActionRefusedException ex) {
		return error(HttpStatus.FORBIDDEN, ex.getMessage());
	}

	@ExceptionHandler(UnknownItemException.class)
	ResponseEntity<Map<String, String>> unknown(UnknownItemException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(BrokerException.class)
	ResponseEntity<Map<String, String>> unavailable(BrokerException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	// a send fails on its input (no route, a payload over the limit) or on the broker
	@ExceptionHandler(TaskSendException.class)
	ResponseEntity<Map<String, String>> notSent(TaskSendException ex) {
		boolean broker = ex.getCause() instanceof BrokerException;
		return error(broker ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, @Nullable String message) {
		return ResponseEntity.status(status).body(Map.of("error", (message != null) ? message : status.getReasonPhrase()));
	}

}
