package dev.taskqueue.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's JSON form of signatures, as Python's {@code dict(sig)} writes it, built here without
 * the library so that what a Python client applies does not depend on the code under test:
 * {@code Py.chain(Py.s("tasks.add", 2, 2), Py.s("tasks.add", 4))} is Python's
 * {@code chain(add.s(2, 2), add.s(4))}.
 */
final class Py {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Py() {
	}

	/** Python's {@code task.s(*args)}. */
	static Map<String, Object> s(String task, Object... args) {
		return signature(task, Arrays.asList(args), Map.of(), null, false);
	}

	/** Python's {@code task.si(*args)}. */
	static Map<String, Object> si(String task, Object... args) {
		return signature(task, Arrays.asList(args), Map.of(), null, true);
	}

	/** Python's {@code sig.set(option=value)}, on a copy. */
	static Map<String, Object> set(Map<String, Object> signature, String option, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(signature);
		Map<String, Object> options = new LinkedHashMap<>(options(signature));
		options.put(option, value);
		copy.put("options", options);
		return copy;
	}

	/** Python's {@code sig.set(queue=queue)}. */
	static Map<String, Object> on(String queue, Map<String, Object> signature) {
		return set(signature, "queue", queue);
	}

	/** Python's {@code task.s(**kwargs)} partial keyword arguments, on a copy. */
	static Map<String, Object> kwargs(Map<String, Object> signature, Map<String, Object> kwargs) {
		Map<String, Object> copy = new LinkedHashMap<>(signature);
		copy.put("kwargs", kwargs);
		return copy;
	}

	/** Python's {@code sig.link_error(errback)} on a plain task signature. */
	static Map<String, Object> linkError(Map<String, Object> signature, Map<String, Object> errback) {
		return appendOption(signature, "link_error", errback);
	}

	/** Python's {@code sig.link(callback)} on a plain task signature. */
	static Map<String, Object> link(Map<String, Object> signature, Map<String, Object> callback) {
		return appendOption(signature, "link", callback);
	}

	/** Python's {@code chain(*steps)}. */
	@SafeVarargs
	static Map<String, Object> chain(Map<String, Object>... steps) {
		return chain(List.of(steps));
	}

	/** Python's {@code chain(steps)}. */
	static Map<String, Object> chain(List<Map<String, Object>> steps) {
		return signature("celery.chain", List.of(), Map.of("tasks", steps), "chain", false);
	}

	/** Python's {@code chain(*steps).on_error(errback)}: the errback goes on every step. */
	@SafeVarargs
	static Map<String, Object> chainOnError(Map<String, Object> errback, Map<String, Object>... steps) {
		return chain(Arrays.stream(steps).map((step) -> linkError(step, errback)).toList());
	}

	/** Python's {@code group(members)}. */
	static Map<String, Object> group(List<Map<String, Object>> members) {
		return signature("celery.group", List.of(), Map.of("tasks", members), "group", false);
	}

	/** Python's {@code chord(header, body)}. */
	static Map<String, Object> chord(List<Map<String, Object>> header, Map<String, Object> body) {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("header", header);
		kwargs.put("body", body);
		kwargs.put("kwargs", Map.of());
		return signature("celery.chord", List.of(), kwargs, "chord", false);
	}

	/** The signature as JSON text, for {@code client.py canvas}. */
	static String json(Map<String, Object> signature) {
		return MAPPER.writeValueAsString(signature);
	}

	private static Map<String, Object> signature(String task, List<?> args, Map<String, ?> kwargs, String type,
			boolean immutable) {
		Map<String, Object> signature = new LinkedHashMap<>();
		signature.put("task", task);
		signature.put("args", args);
		signature.put("kwargs", kwargs);
		signature.put("options", Map.of());
		signature.put("subtask_type", type);
		signature.put("immutable", immutable);
		return signature;
	}

	private static Map<String, Object> appendOption(Map<String, Object> signature, String option,
			Map<String, Object> callback) {
		List<Object> callbacks = new ArrayList<>();
		if (options(signature).get(option) instanceof List<?> existing) {
			callbacks.addAll(existing);
		}
		callbacks.add(callback);
		return set(signature, option, callbacks);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> options(Map<String, Object> signature) {
		return (Map<String, Object>) signature.get("options");
	}

}
