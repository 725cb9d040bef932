package dev.taskqueue.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SanitizableData;

import dev.taskqueue.actuate.FleetDescriptors.ClusterDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.NodeDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.NodeTaskDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.TaskDescriptor;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.control.QueriedTask;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.events.WorkerSnapshot;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

/**
 * The fleet as remote control and events show it: every worker that answers {@code active}
 * within a second, Python or Java, those that answered before and no longer do, and, when
 * the fleet's events are received, every worker heard of, alive while its heartbeats come;
 * and where a task is ({@code query_task}) with its state in the result backend.
 */
final class FleetView {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final @Nullable TaskQueueControl control;

	private final @Nullable ResultBackend backend;

	private final @Nullable ClusterState events;

	private final Set<String> seen = new ConcurrentSkipListSet<>();

	FleetView(@Nullable TaskQueueControl control, @Nullable ResultBackend backend, @Nullable ClusterState events) {
		this.control = control;
		this.backend = backend;
		this.events = events;
	}

	ClusterDescriptor cluster(boolean showValues) {
		Map<String, List<TaskInfo>> active = (this.control != null) ? this.control.inspect(TIMEOUT).active(!showValues)
				: Map.of();
		this.seen.addAll(active.keySet());
		Map<String, WorkerSnapshot> heard = new HashMap<>();
		if (this.events != null) {
			this.events.workers().forEach((worker) -> heard.put(worker.hostname(), worker));
		}
		List<NodeDescriptor> nodes = new ArrayList<>();
		Set<String> names = new TreeSet<>(this.seen);
		names.addAll(heard.keySet());
		for (String node : names) {
			List<TaskInfo> tasks = active.get(node);
			WorkerSnapshot worker = heard.get(node);
			nodes.add(new NodeDescriptor(node, tasks != null || (worker != null && worker.alive()),
					(worker != null && worker.swIdent() != null) ? worker.swIdent() + " " + worker.swVer() : null,
					(worker != null && worker.lastHeartbeat() != null) ? worker.lastHeartbeat().toString() : null,
					(tasks != null) ? tasks.stream().map((task) -> describe(task, showValues)).toList() : List.of()));
		}
		return new ClusterDescriptor(nodes);
	}

	private static NodeTaskDescriptor describe(TaskInfo task, boolean showValues) {
		return new NodeTaskDescriptor(task.id(), task.name(),
				showValues ? String.valueOf(task.args()) : SanitizableData.SANITIZED_VALUE,
				showValues ? String.valueOf(task.kwargs()) : SanitizableData.SANITIZED_VALUE, task.timeStart());
	}

	TaskDescriptor task(String id, boolean showValues) {
		ResultMeta meta = stored(id);
		String node = null;
		String stage = null;
		if (this.control != null) {
			for (Map.Entry<String, Map<String, QueriedTask>> reply : this.control.inspect(TIMEOUT).queryTask(id)
				.entrySet()) {
				QueriedTask queried = reply.getValue().get(id);
				if (queried != null) {
					node = reply.getKey();
					stage = queried.state();
				}
			}
		}
		String state = (meta != null) ? meta.status() : CeleryStates.PENDING;
		Object result = (meta == null || meta.result() == null) ? null
				: showValues ? meta.result() : SanitizableData.SANITIZED_VALUE;
		return new TaskDescriptor(id, state, result, node, stage);
	}

	private @Nullable ResultMeta stored(String id) {
		if (this.backend == null) {
			return null;
		}
		try {
			return this.backend.get(id);
		}
		catch (ResultBackendException | UnsupportedOperationException ex) {
			return null;
		}
	}

}
