package dev.taskqueue.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * A {@link ResultBackend} in this JVM ({@code memory://}). Results are kept in their JSON form,
 * so a result that Celery could not store fails here too, and expire after the configured time.
 * <p>
 * Listeners are called on the thread that stores the state, one state at a time: a state is
 * stored and told under one lock, so that {@link #follow} reads the stored state and starts
 * listening in one step. A listener that throws is logged and the others are still called.
 * <p>
 * Chords and saved groups behave as on Celery's Redis backend, kept serialized too (see
 * {@link MemoryChords}).
 */
public class InMemoryResultBackend implements ResultBackend {

	private static final Log logger = LogFactory.getLog(InMemoryResultBackend.class);

	private final Object lock = new Object();

	private final Map<String, Stored> results = new ConcurrentHashMap<>();

	private final Map<String, List<ResultListener>> listeners = new ConcurrentHashMap<>();

	private final ResultMetaCodec codec;

	private final Duration expires;

	private final Clock clock;

	private final MemoryChords chords;

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
		this.chords = new MemoryChords(codec, expires, clock);
	}

	@Override
	public void store(ResultMeta meta) {
		byte[] json = this.codec.encode(meta);
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			Stored candidate = new Stored(json, meta.status(), now.plus(this.expires));
			Stored stored = this.results.compute(meta.taskId(), (id, previous) -> (previous != null
					&& !previous.isExpired(now) && CeleryStates.SUCCESS.equals(previous.status())) ? previous
							: candidate);
			List<ResultListener> subscribers = this.listeners.get(meta.taskId());
			if (stored == candidate && subscribers != null) {
				ResultMeta published = this.codec.decode(json);
				subscribers.forEach((listener) -> tell(listener, published));
			}
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

	/**
	 * Tell the stored state, if any, on the calling thread, and every state stored from then on;
	 * nothing is stored in between.
	 */
	@Override
	public ResultSubscription follow(String taskId, ResultListener listener) {
		synchronized (this.lock) {
			ResultMeta stored = get(taskId);
			ResultSubscription subscription = subscribe(taskId, listener);
			if (!CeleryStates.PENDING.equals(stored.status())) {
				tell(listener, stored);
			}
			return subscription;
		}
	}

	private static void tell(ResultListener listener, ResultMeta meta) {
		try {
			listener.onResult(meta);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of task " + meta.taskId() + " failed on its " + meta.status() + " state", ex);
		}
	}

	/** Chords and groups with the semantics of Celery's Redis backend (see {@link MemoryChords}). */
	@Override
	public CanvasStore canvasStore() {
		return this.chords;
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
