package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task a worker holds, as Celery's {@code Request.info()} describes it in the replies of
 * {@code active}, {@code reserved}, {@code scheduled} and {@code query_task}.
 *
 * @param id the task id
 * @param name the task name (or its shadow name)
 * @param type the task name
 * @param args the positional arguments, or their repr when asked for safely
 * @param kwargs the keyword arguments, or their repr when asked for safely
 * @param hostname the worker's node name
 * @param timeStart when the task started, in epoch seconds, {@code null} when not started
 * @param acknowledged whether its message is acknowledged
 * @param workerPid the process running it, {@code null} when not started
 * @param deliveryInfo {@code exchange}, {@code routing_key}, {@code priority},
 * {@code redelivered}
 * @param raw the object as received, with any key not modelled here
 */
public record TaskInfo(String id, @Nullable String name, @Nullable String type, @Nullable Object args,
		@Nullable Object kwargs, @Nullable String hostname, @Nullable Double timeStart, boolean acknowledged,
		@Nullable Long workerPid, Map<String, @Nullable Object> deliveryInfo, Map<String, @Nullable Object> raw) {
}
