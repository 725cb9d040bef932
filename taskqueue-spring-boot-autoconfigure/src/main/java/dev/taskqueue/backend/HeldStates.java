package dev.taskqueue.backend;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

/**
 * The default {@link ResultBackend#follow}: a listener that holds what its subscription
 * receives until the stored state is read, then tells the stored state (unless it was among
 * the held ones, stored after the subscription started) and the held states, in order.
 * <p>
 * A backend that tells a state some time after it was stored might tell the stored state
 * after it was read: when the next state received equals it, it is dropped. That is exact for
 * backends that tell each state before the store returns, and avoids duplicates otherwise; a
 * backend that knows the order of its reads and deliveries overrides
 * {@link ResultBackend#follow} instead.
 */
final class HeldStates implements ResultListener {

	private static final Log logger = LogFactory.getLog(HeldStates.class);

	private final String taskId;

	private final ResultListener listener;

	private final Object lock = new Object();

	/** What arrived before the stored state was read, or {@code null} once it was. */
	private @Nullable List<ResultMeta> held = new ArrayList<>();

	/** The stored state, told first, that may still arrive once. */
	private @Nullable ResultMeta late;

	private HeldStates(String taskId, ResultListener listener) {
		this.taskId = taskId;
		this.listener = listener;
	}

	/**
	 * Subscribe, read the stored state and tell it and the held states.
	 * @param backend the backend
	 * @param taskId the task id
	 * @param listener the listener
	 * @return the subscription
	 */
	static ResultSubscription follow(ResultBackend backend, String taskId, ResultListener listener) {
		HeldStates states = new HeldStates(taskId, listener);
		ResultSubscription subscription = backend.subscribe(taskId, states);
		try {
			states.release(backend.get(taskId));
		}
		catch (RuntimeException ex) {
			subscription.close();
			throw ex;
		}
		return subscription;
	}

	@Override
	public void onResult(ResultMeta meta) {
		synchronized (this.lock) {
			if (this.held != null) {
				this.held.add(meta);
				return;
			}
			boolean duplicate = meta.equals(this.late);
			this.late = null;
			if (!duplicate) {
				tell(meta);
			}
		}
	}

	private void release(ResultMeta stored) {
		synchronized (this.lock) {
			List<ResultMeta> held = this.held;
			this.held = null;
			if (held == null) {
				return;
			}
			if (!CeleryStates.PENDING.equals(stored.status()) && !held.contains(stored)) {
				this.late = stored;
				tell(stored);
			}
			held.forEach(this::tell);
		}
	}

	private void tell(ResultMeta meta) {
		try {
			this.listener.onResult(meta);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of task " + this.taskId + " failed on its " + meta.status() + " state", ex);
		}
	}

}
