package dev.taskqueue.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one event changed in a {@link ClusterState}: the worker that sent it or the task it is
 * about, as they are after it.
 *
 * @param type the event type, such as {@code task-succeeded}
 * @param worker the worker after the event, when it concerns one
 * @param task the task after the event, for task events
 * @param event the event as received, its timestamp normalised
 */
public record ClusterChange(String type, @Nullable WorkerSnapshot worker, @Nullable TaskSnapshot task,
		Map<String, Object> event) {

	public ClusterChange {
		// events hold nulls (parent_id), which Map.copyOf refuses
		event = Collections.unmodifiableMap(new LinkedHashMap<>(event));
	}

}
