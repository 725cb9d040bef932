package dev.taskqueue.dashboard;

import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.taskqueue.backend.ResultBackendException;

/**
 * The error answers of the REST API beyond {@link DashboardErrors}: 503 when the result
 * backend, the events or remote control are missing or fail, 400 for a missing parameter;
 * each as {@code {"error": "<reason>"}}.
 */
@RestControllerAdvice(annotations = FlowerApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
final class FlowerApiErrors {

	@ExceptionHandler({ FlowerUnavailableException.class, ResultBackendException.class })
	ResponseEntity<Map<String, String>> unavailable(RuntimeException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", String.valueOf(ex.getMessage())));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "Missing argument " + ex.getParameterName()));
	}

}
