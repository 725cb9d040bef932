package dev.taskqueue.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.taskqueue.core.TaskResult;
import dev.taskqueue.core.UpdateSubscription;

/**
 * One open stream of {@link LiveUpdates}: the lists' stream, or a task's, which follows the
 * states its result backend tells and its events, and ends once the task is ready. Flushed by
 * one sender thread at a time ({@link #claim()}); the backend's callback only notes its state.
 */
final class UpdateStream {

	// once either says the task ended, a task's stream waits this long for the other (Python
	// workers send task events in batches, with their heartbeat)
	private static final long EVENTS_GRACE_MILLIS = 5_000;

	final SseEmitter emitter;

	final @Nullable String taskId;

	private final Consumer<UpdateStream> onClose;

	volatile @Nullable UpdateSubscription subscription;

	private volatile @Nullable TaskResult latest;

	// a task's stream sends its detail on the first flush
	private volatile boolean dirty = true;

	// held by the flush under way, on a sender thread
	private final AtomicBoolean busy = new AtomicBoolean();

	// a flush passed while this one was busy: the lists are read again, a task's children found again
	private volatile boolean missed;

	private long readySince;

	private TaskData.@Nullable TaskDetail sent;

	// the children its events showed: found once, then added from the changes
	private @Nullable Set<String> children;

	UpdateStream(SseEmitter emitter, @Nullable String taskId, Consumer<UpdateStream> onClose) {
		this.emitter = emitter;
		this.taskId = taskId;
		this.onClose = onClose;
	}

	// on the result backend's thread: noted only, sent by the next flush
	void stored(TaskResult update) {
		this.latest = update;
		this.dirty = true;
	}

	boolean claim() {
		return this.busy.compareAndSet(false, true);
	}

	void release() {
		this.busy.set(false);
	}

	void missed() {
		this.missed = true;
		this.dirty = true;
	}

	void flushList(@Nullable Map<String, Object> update, boolean keepalive) {
		if (this.missed) {
			this.missed = false;
			send(SseEmitter.event().name("update")
				.data(Map.of("tasks", List.of(), "workers", List.of(), "reload", true), MediaType.APPLICATION_JSON));
		}
		else if (update != null) {
			send(SseEmitter.event().name("update").data(update, MediaType.APPLICATION_JSON));
		}
		else if (keepalive) {
			send(SseEmitter.event().comment("keepalive"));
		}
	}

	void flushTask(TaskData data, String id, boolean changed, List<String> newChildren, boolean keepalive) {
		if (this.children == null || this.missed) {
			this.missed = false;
			this.children = data.childrenSeen(id);
		}
		for (String child : newChildren) {
			if (this.children.size() < TaskData.MAX_CHILDREN) {
				this.children.add(child);
			}
		}
		TaskResult stored = this.latest;
		boolean storedReady = stored != null && stored.ready();
		if (storedReady && this.readySince == 0) {
			this.readySince = System.currentTimeMillis();
		}
		if (!changed && !this.dirty && this.readySince == 0) {
			if (keepalive) {
				send(SseEmitter.event().comment("keepalive"));
			}
			return;
		}
		this.dirty = false;
		TaskData.TaskDetail detail = data.detail(id, stored, this.children);
		if (!detail.equals(this.sent)) {
			this.sent = detail;
			send(SseEmitter.event().name("task").data(detail, MediaType.APPLICATION_JSON));
		}
		if (detail.ready() && this.readySince == 0) {
			// the events say it ended, its backend does not (ignore_result, or no backend)
			this.readySince = System.currentTimeMillis();
		}
		boolean eventsCaughtUp = detail.ready() && (detail.runtime() != null || "REVOKED".equals(detail.state()));
		if (this.readySince != 0 && ((storedReady && eventsCaughtUp)
				|| System.currentTimeMillis() - this.readySince > EVENTS_GRACE_MILLIS)) {
			send(SseEmitter.event().name("end").data(Map.of("state", detail.state()), MediaType.APPLICATION_JSON));
			this.emitter.complete();
			this.onClose.accept(this);
		}
	}

	void send(SseEmitter.SseEventBuilder event) {
		try {
			this.emitter.send(event);
		}
		catch (IOException | IllegalStateException ex) {
			// the client left: the stream is done
			this.onClose.accept(this);
		}
	}

}
