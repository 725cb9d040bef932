package dev.taskqueue.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * A {@link ResultBackend} in this JVM ({@code memory://}). Results are kept in their JSON form,
 * so a result that Celery could not store fails here too, and expire after the configured time.
 */
public class InMemoryResultBackend implements ResultBackend {

	private final Map<String, Stored> results = new ConcurrentHashMap<>();

	private final Map<String, List<ResultListener>> listeners = new ConcurrentHashMap<>();

	private final ResultMetaCodec codec;

	private final Duration expires;

	private final Clock clock;

	/**
	 * Create a backend.
	 * @param codec the codec results are stored with
	 * @param expires how long a result is kept
	 */
	public InMemoryResultBackend(ResultMetaCodec codec, Duration expires) {
		this(codec, expires, Clock.systemUTC());
	}

	InMemoryResultBackend(ResultMetaCodec codec, Duration expires, Clock clock) {
		this.codec = codec;
		this.expires = expires;
		this.clock = clock;
	}

	@Override
	public void store(ResultMeta meta) {
		byte[] json = this.codec.encode(meta);
		Instant now = this.clock.instant();
		Stored candidate = new Stored(json, meta.status(), now.plus(this.expires));
		Stored stored = this.results.compute(meta.taskId(), (id, previous) -> (previous != null
				&& !previous.isExpired(now) && CeleryStates.SUCCESS.equals(previous.status())) ? previous : candidate);
		List<ResultListener> subscribers = this.listeners.get(meta.taskId());
		if (stored == candidate && subscribers != null) {
			ResultMeta published = this.codec.decode(json);
			subscribers.forEach((listener) -> listener.onResult(published));
		}
	}

	@Override
	public ResultMeta get(String taskId) {
		Stored stored = this.results.get(taskId);
		if (stored == null) {
			return ResultMeta.pending(taskId);
		}
		if (stored.isExpired(this.clock.instant())) {
			this.results.remove(taskId, stored);
			return ResultMeta.pending(taskId);
		}
		return this.codec.decode(stored.json());
	}

	@Override
	public void forget(String taskId) {
		this.results.remove(taskId);
	}

	@Override
	public ResultSubscription subscribe(String taskId, ResultListener listener) {
		this.listeners.computeIfAbsent(taskId, (id) -> new CopyOnWriteArrayList<>()).add(listener);
		return () -> this.listeners.computeIfPresent(taskId, (id, list) -> {
			list.remove(listener);
			return list.isEmpty() ? null : list;
		});
	}

	@Override
	public String url() {
		return "memory://";
	}

	private record Stored(byte[] json, String status, Instant expiry) {

		boolean isExpired(Instant now) {
			return now.isAfter(this.expiry);
		}

	}

}
