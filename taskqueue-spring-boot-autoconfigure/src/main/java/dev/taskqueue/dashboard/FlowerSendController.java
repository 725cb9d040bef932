package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.core.AsyncResult;

/**
 * Flower's API to send tasks: {@code POST /api/task/apply/{name}} (send and wait),
 * {@code /api/task/async-apply/{name}} and {@code /api/task/send-task/{name}}, with a JSON body
 * of {@code args}, {@code kwargs} and {@code apply_async}'s options (top-level, as Flower, or
 * in an {@code options} object); and {@code /api/task/abort/{id}}, which is not supported.
 */
@FlowerApi
@RestController
final class FlowerSendController {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Duration MAX_APPLY_WAIT = Duration.ofMinutes(5);

	private final DashboardActions actions;

	private final FlowerResults results;

	private final FlowerTaskNames names;

	FlowerSendController(DashboardActions actions, FlowerResults results, FlowerTaskNames names) {
		this.actions = actions;
		this.results = results;
		this.names = names;
	}

	@PostMapping("/task/apply/{name}")
	Map<String, @Nullable Object> apply(@PathVariable String name, @RequestBody(required = false) @Nullable String body,
			@RequestParam(required = false) @Nullable Double timeout, HttpServletRequest request) {
		Duration wait = MAX_APPLY_WAIT;
		if (timeout != null) {
			if (timeout.isNaN() || timeout <= 0 || timeout > MAX_APPLY_WAIT.toSeconds()) {
				throw new IllegalArgumentException(
						"'timeout' must be seconds above 0 and at most " + MAX_APPLY_WAIT.toSeconds());
			}
			wait = Duration.ofMillis(Math.round(timeout * 1000));
		}
		return send(name, body, request, true, wait);
	}

	@PostMapping("/task/async-apply/{name}")
	Map<String, @Nullable Object> asyncApply(@PathVariable String name,
			@RequestBody(required = false) @Nullable String body, HttpServletRequest request) {
		return send(name, body, request, true, null);
	}

	@PostMapping("/task/send-task/{name}")
	Map<String, @Nullable Object> sendTask(@PathVariable String name,
			@RequestBody(required = false) @Nullable String body, HttpServletRequest request) {
		return send(name, body, request, false, null);
	}

	@PostMapping("/task/abort/{id}")
	ResponseEntity<Map<String, String>> abort(@PathVariable String id) {
		return ResponseEntity.status(HttpStatus.NOT_IMPLEMENTED).body(Map.of("error",
				"Aborting is not supported (Celery's AbortableTask): revoke with terminate=true instead"));
	}

	private Map<String, @Nullable Object> send(String name, @Nullable String body, HttpServletRequest request,
			boolean known, @Nullable Duration wait) {
		Requester who = Requester.of(request);
		Map<String, Object> options = options(body);
		Object args = options.remove("args");
		Object kwargs = options.remove("kwargs");
		if (args != null && !(args instanceof List)) {
			throw new IllegalArgumentException("args must be an array");
		}
		if (kwargs != null && !(kwargs instanceof Map)) {
			throw new IllegalArgumentException("kwargs must be an object");
		}
		if (options.get("options") instanceof Map<?, ?> nested) {
			options.remove("options");
			nested.forEach((key, value) -> options.putIfAbsent(String.valueOf(key), value));
		}
		if (known && !this.names.known(name)) {
			throw new UnknownItemException("Unknown task '" + name + "'");
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> keywords = (kwargs != null) ? (Map<String, ?>) kwargs : Map.of();
		AsyncResult<Object> result = this.actions.send(who, name, (args != null) ? (List<?>) args : List.of(),
				keywords, options);
		return this.results.sent(result.id(), result, wait);
	}

	// the body as a JSON object, empty when there is none
	private static Map<String, Object> options(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return new LinkedHashMap<>();
		}
		Object parsed;
		try {
			parsed = json.readValue(body, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The request body is not valid JSON");
		}
		if (!(parsed instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("invalid options");
		}
		Map<String, Object> options = new LinkedHashMap<>();
		map.forEach((key, value) -> options.put(String.valueOf(key), value));
		return options;
	}

}
