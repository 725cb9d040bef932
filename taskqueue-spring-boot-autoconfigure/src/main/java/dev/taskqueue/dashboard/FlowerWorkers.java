package dev.taskqueue.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import dev.taskqueue.control.ActiveQueue;
import dev.taskqueue.control.Inspector;
import dev.taskqueue.control.ScheduledTask;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.control.WorkerStats;

/**
 * What Flower's {@code GET /api/workers} shows of each worker: the replies to {@code stats},
 * {@code active_queues}, {@code registered}, {@code scheduled}, {@code active},
 * {@code reserved}, {@code revoked} and {@code conf} as the workers sent them, and when they
 * came ({@code timestamp}). Kept until refreshed, as Flower keeps them; the eight commands are
 * sent at once, so a refresh takes one inspect timeout.
 */
final class FlowerWorkers {

	private static final Log logger = LogFactory.getLog(FlowerWorkers.class);

	private final TaskQueueControl control;

	private final Duration timeout;

	private final Clock clock;

	private final SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("taskqueue-flower-inspect-");

	private final Map<String, Map<String, @Nullable Object>> workers = new ConcurrentHashMap<>();

	FlowerWorkers(TaskQueueControl control, Duration timeout, Clock clock) {
		this.control = control;
		this.timeout = timeout;
		this.clock = clock;
		this.executor.setConcurrencyLimit(16);
	}

	/**
	 * Return the workers' replies as last received, refreshing them first when asked or when
	 * none was received yet.
	 * @param workerName the worker to refresh and return, or {@code null} for all
	 * @param refresh whether to ask the workers again
	 * @return the replies by worker, sorted by name
	 */
	Map<String, Map<String, @Nullable Object>> workers(@Nullable String workerName, boolean refresh) {
		if (refresh || this.workers.isEmpty() || (workerName != null && !this.workers.containsKey(workerName))) {
			refresh(workerName);
		}
		Map<String, Map<String, @Nullable Object>> answer = new TreeMap<>();
		this.workers.forEach((name, info) -> {
			if (workerName == null || workerName.equals(name)) {
				answer.put(name, new LinkedHashMap<>(info));
			}
		});
		return answer;
	}

	// Flower's eight inspect commands at once, each collecting replies for the timeout
	private void refresh(@Nullable String workerName) {
		Inspector inspector = this.control.inspect(this.timeout);
		Inspector inspect = (workerName != null) ? inspector.destination(workerName) : inspector;
		List<CompletableFuture<Void>> commands = new ArrayList<>();
		commands.add(ask("stats", () -> inspect.stats(), WorkerStats::raw));
		commands.add(ask("active_queues", () -> inspect.activeQueues(),
				(queues) -> queues.stream().map(ActiveQueue::raw).toList()));
		commands.add(ask("registered", () -> inspect.registered(), (reply) -> reply));
		commands.add(ask("scheduled", () -> inspect.scheduled(),
				(tasks) -> tasks.stream().map(ScheduledTask::raw).toList()));
		commands.add(ask("active", () -> inspect.active(true), (tasks) -> tasks.stream().map(TaskInfo::raw).toList()));
		commands.add(ask("reserved", () -> inspect.reserved(), (tasks) -> tasks.stream().map(TaskInfo::raw).toList()));
		commands.add(ask("revoked", () -> inspect.revoked(), (reply) -> reply));
		commands.add(ask("conf", () -> inspect.conf(), (reply) -> reply));
		RuntimeException failure = null;
		int failed = 0;
		for (CompletableFuture<Void> command : commands) {
			try {
				command.join();
			}
			catch (CompletionException ex) {
				failed++;
				failure = (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		if (failure != null && failed == commands.size()) {
			throw new FlowerUnavailableException("Failed to update workers: " + failure.getMessage());
		}
	}

	// one inspect command, its replies stored by worker as Flower's inspector does
	private <T> CompletableFuture<Void> ask(String method, Supplier<Map<String, T>> command,
			Function<T, @Nullable Object> raw) {
		return CompletableFuture.runAsync(() -> {
			try {
				Map<String, T> replies = command.get();
				double now = Instant.now(this.clock).toEpochMilli() / 1000.0;
				replies.forEach((worker, reply) -> {
					Map<String, @Nullable Object> info = this.workers.computeIfAbsent(worker,
							(name) -> new ConcurrentHashMap<>());
					Object value = raw.apply(reply);
					if (value != null) {
						info.put(method, value);
					}
					info.put("timestamp", now);
				});
			}
			catch (RuntimeException ex) {
				logger.warn("Inspect method " + method + " failed: " + ex.getMessage());
				throw ex;
			}
		}, this.executor);
	}

}
