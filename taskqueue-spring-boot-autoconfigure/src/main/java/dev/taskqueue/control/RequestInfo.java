package dev.taskqueue.control;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.worker.WorkerRequest;

/**
 * Celery's request-info object ({@code Request.info()}) of a task this worker has taken, in
 * Celery's key order, and the items of {@code inspect scheduled}.
 */
final class RequestInfo {

	/** The priority of ETA entries in Celery's timer, which {@code inspect scheduled} shows. */
	static final int ETA_PRIORITY = 6;

	private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
		.withZone(ZoneOffset.UTC);

	private static final long PID = ProcessHandle.current().pid();

	private RequestInfo() {
	}

	/**
	 * Return the request-info of a task.
	 * @param request the task
	 * @param hostname the worker's node name
	 * @param safe whether the arguments are shown as their repr strings
	 * @return the request-info object
	 */
	static Map<String, @Nullable Object> of(WorkerRequest request, String hostname, boolean safe) {
		TaskMessage message = request.message();
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("id", message.id());
		info.put("name", message.headers().displayName());
		info.put("args", safe ? message.argsrepr() : message.args());
		info.put("kwargs", safe ? message.kwargsrepr() : message.kwargs());
		info.put("type", message.task());
		info.put("hostname", hostname);
		Instant start = request.timeStart();
		info.put("time_start", (start != null) ? PythonText.epochSeconds(start) : null);
		info.put("acknowledged", request.acknowledged());
		Map<String, @Nullable Object> delivery = new LinkedHashMap<>();
		delivery.put("exchange", "");
		delivery.put("routing_key", request.queue());
		delivery.put("priority", message.properties().priority());
		delivery.put("redelivered", request.redelivered());
		info.put("delivery_info", delivery);
		info.put("worker_pid", (start != null) ? PID : null);
		return info;
	}

	/**
	 * Return the item of {@code inspect scheduled} of a task held for its ETA.
	 * @param request the task
	 * @param hostname the worker's node name
	 * @param safe whether the arguments are shown as their repr strings
	 * @return {@code {"eta", "priority", "request"}}
	 */
	static Map<String, @Nullable Object> scheduled(WorkerRequest request, String hostname, boolean safe) {
		Map<String, @Nullable Object> item = new LinkedHashMap<>();
		Instant eta = request.eta();
		item.put("eta", (eta != null) ? ISO.format(eta) : null);
		item.put("priority", ETA_PRIORITY);
		item.put("request", of(request, hostname, safe));
		return item;
	}

}
