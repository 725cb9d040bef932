package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.UpdateSubscription;
import dev.taskqueue.events.ClusterChange;
import dev.taskqueue.events.ClusterState;

/**
 * The pages' live updates, as server-sent events. The fleet's events are only noted as they
 * arrive (the latest state per task and per worker, on the receiver's thread, without
 * blocking); one shared thread collects them at most every {@link #FLUSH_EVERY 500 ms}, and a
 * few sender threads write them to the open streams: the lists' stream gets one
 * {@code update} event with the rows that changed, a task's stream its merged detail. A stream
 * whose client is slow to read skips the flushes that come while it is still being written to,
 * then is told to read the lists again, so it holds up no other stream. At most
 * {@value #MAX_STREAMS} streams are open at once; more are refused with 503.
 */
final class LiveUpdates implements Consumer<ClusterChange>, AutoCloseable {

	static final int MAX_STREAMS = 64;

	private static final int SENDERS = 4;

	static final Duration FLUSH_EVERY = Duration.ofMillis(500);

	private static final int MAX_PENDING = 5_000;

	private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

	// a comment every 30 flushes with nothing to say finds the clients that left
	private static final int KEEPALIVE_FLUSHES = 30;

	private static final Log logger = LogFactory.getLog(LiveUpdates.class);

	private final TaskData taskData;

	private final FleetData fleetData;

	private final TaskOperations tasks;

	private final int maxStreams;

	private final Set<UpdateStream> streams = ConcurrentHashMap.newKeySet();

	private final AtomicInteger open = new AtomicInteger();

	private final PendingChanges pending = new PendingChanges(MAX_PENDING);

	private final ScheduledExecutorService scheduler;

	private final ExecutorService senders;

	private int quietFlushes;

	private @Nullable AutoCloseable subscription;

	LiveUpdates(TaskData taskData, FleetData fleetData, TaskOperations tasks, int maxStreams, Duration flushEvery) {
		this.taskData = taskData;
		this.fleetData = fleetData;
		this.tasks = tasks;
		this.maxStreams = maxStreams;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-dashboard-updates");
			thread.setDaemon(true);
			return thread;
		});
		this.senders = Executors.newFixedThreadPool(SENDERS, (runnable) -> {
			Thread thread = new Thread(runnable, "taskqueue-dashboard-sender");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	// notes the changes of a cluster state from now on, until closed
	void listenTo(@Nullable ClusterState state) {
		if (state != null) {
			this.subscription = state.subscribe(this);
		}
	}

	@Override
	public void accept(ClusterChange change) {
		if (this.streams.isEmpty()) {
			return;
		}
		this.pending.note(change);
	}

	SseEmitter lists() {
		return open(new UpdateStream(new SseEmitter(STREAM_TIMEOUT.toMillis()), null, this::close)).emitter;
	}

	SseEmitter task(String id) {
		UpdateStream stream = open(new UpdateStream(new SseEmitter(STREAM_TIMEOUT.toMillis()), id, this::close));
		try {
			UpdateSubscription subscription = this.tasks.result(id).onUpdate(stream::stored);
			stream.subscription = subscription;
			if (!this.streams.contains(stream)) {
				// the client left already
				subscription.close();
			}
		}
		catch (RuntimeException ex) {
			// no result backend to follow: the events alone update the page
		}
		return stream.emitter;
	}

	private UpdateStream open(UpdateStream stream) {
		if (this.open.incrementAndGet() > this.maxStreams) {
			this.open.decrementAndGet();
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"Too many live update streams are open (" + this.maxStreams + ")");
		}
		this.streams.add(stream);
		stream.emitter.onCompletion(() -> close(stream));
		stream.emitter.onTimeout(() -> close(stream));
		stream.emitter.onError((ex) -> close(stream));
		return stream;
	}

	private void close(UpdateStream stream) {
		if (this.streams.remove(stream)) {
			this.open.decrementAndGet();
			UpdateSubscription subscription = stream.subscription;
			if (subscription != null) {
				subscription.close();
			}
		}
	}

	int openStreams() {
		return this.open.get();
	}

	// on the shared thread only: every send happens here
	void flush() {
		try {
			PendingChanges.Changes changes = drain();
			boolean keepalive = false;
			Map<String, Object> update = null;
			if (!changes.isEmpty()) {
				update = update(changes);
				this.quietFlushes = 0;
			}
			else if (++this.quietFlushes >= KEEPALIVE_FLUSHES) {
				keepalive = true;
				this.quietFlushes = 0;
			}
			Map<String, List<String>> childrenByParent = new HashMap<>();
			changes.tasks().values().forEach((task) -> {
				if (task.parentId() != null) {
					childrenByParent.computeIfAbsent(task.parentId(), (parent) -> new ArrayList<>()).add(task.uuid());
				}
			});
			for (UpdateStream stream : new ArrayList<>(this.streams)) {
				String id = stream.taskId;
				List<String> children = (id != null) ? childrenByParent.getOrDefault(id, List.of()) : List.of();
				boolean changed = id != null && (changes.tasks().containsKey(id) || !children.isEmpty());
				flush(stream, update, changed, children, keepalive);
			}
		}
		catch (RuntimeException | Error ex) {
			logger.warn("Live updates of the dashboard failed", ex);
		}
	}

	// on a sender thread, so that a client slow to read holds up only its own stream; a stream
	// still busy with its last flush misses this one and catches up on the next
	private void flush(UpdateStream stream, @Nullable Map<String, Object> update, boolean changed,
			List<String> children, boolean keepalive) {
		if (!stream.claim()) {
			stream.missed();
			return;
		}
		try {
			this.senders.execute(() -> {
				try {
					String id = stream.taskId;
					if (id == null) {
						stream.flushList(update, keepalive);
					}
					else {
						stream.flushTask(this.taskData, id, changed, children, keepalive);
					}
				}
				catch (RuntimeException | Error ex) {
					logger.warn("Live updates of the dashboard failed", ex);
				}
				finally {
					stream.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closing
			stream.release();
		}
	}

	// what changed since the last flush: the latest state of each task and worker
	PendingChanges.Changes drain() {
		return this.pending.drain();
	}

	// the lists' update event: the rows that changed, and whether to read the lists again
	Map<String, Object> update(PendingChanges.Changes changes) {
		Map<String, Object> update = new LinkedHashMap<>();
		update.put("tasks", changes.tasks().values().stream().map(TaskData::row).toList());
		update.put("workers", changes.workers().values().stream().map(this.fleetData::row).toList());
		update.put("reload", changes.reload());
		return update;
	}

	@Override
	public void close() throws Exception {
		if (this.subscription != null) {
			this.subscription.close();
		}
		this.scheduler.shutdownNow();
		this.senders.shutdownNow();
		for (UpdateStream stream : new ArrayList<>(this.streams)) {
			close(stream);
			try {
				stream.emitter.complete();
			}
			catch (RuntimeException ex) {
				// already done
			}
		}
	}

}
