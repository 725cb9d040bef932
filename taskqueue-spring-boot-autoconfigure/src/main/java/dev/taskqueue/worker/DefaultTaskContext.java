package dev.taskqueue.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskContext;
import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TaskMessage;

/**
 * The {@link TaskContext} of a task run by this worker.
 */
final class DefaultTaskContext implements TaskContext {

	private final TaskMessage message;

	private final String queue;

	private final ResultRecorder recorder;

	private @Nullable TimeLimitGuard timeLimits;

	DefaultTaskContext(TaskMessage message, String queue, ResultRecorder recorder) {
		this.message = message;
		this.queue = queue;
		this.recorder = recorder;
	}

	@Override
	public String id() {
		return this.message.id();
	}

	@Override
	public String name() {
		return this.message.task();
	}

	@Override
	public int retries() {
		return this.message.headers().retries();
	}

	@Override
	public String rootId() {
		return this.message.headers().rootId();
	}

	@Override
	public @Nullable String parentId() {
		return this.message.headers().parentId();
	}

	@Override
	public Map<String, Object> headers() {
		TaskHeaders headers = this.message.headers();
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("lang", headers.lang());
		all.put("task", headers.task());
		all.put("id", headers.id());
		all.put("root_id", headers.rootId());
		putIfPresent(all, "parent_id", headers.parentId());
		putIfPresent(all, "group", headers.group());
		putIfPresent(all, "shadow", headers.shadow());
		putIfPresent(all, "eta", (headers.eta() != null) ? CeleryTime.format(headers.eta()) : null);
		putIfPresent(all, "expires", (headers.expires() != null) ? CeleryTime.format(headers.expires()) : null);
		all.put("retries", headers.retries());
		putIfPresent(all, "origin", headers.origin());
		all.putAll(headers.extra());
		return all;
	}

	@Override
	public void updateState(String state, @Nullable Object meta) {
		this.recorder.state(this.message, this.queue, state, meta);
	}

	@Override
	public boolean softTimeLimitExceeded() {
		TimeLimitGuard guard = this.timeLimits;
		return guard != null && guard.softTimeLimitExceeded();
	}

	@Override
	public void checkSoftTimeLimit() {
		TimeLimitGuard guard = this.timeLimits;
		if (guard != null) {
			guard.checkSoftTimeLimit();
		}
	}

	/**
	 * Set the time limits of this run, before the task runs on the thread that reads them.
	 * @param timeLimits the guard of the run's time limits
	 */
	void timeLimits(TimeLimitGuard timeLimits) {
		this.timeLimits = timeLimits;
	}

	private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

}
