package dev.taskqueue.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ResultMeta;

/**
 * The subscription behind {@link AsyncResult#onUpdate} and
 * {@link AsyncResult#get(java.time.Duration, Consumer)}: it follows the task's states on the
 * backend ({@link ResultBackend#follow}: the stored state, then each new one), calls the
 * callback with each, logs what the callback throws and goes on, and ends after a final
 * state. {@link #ready()} completes with the final state once the callback was called with it.
 */
final class TaskUpdates implements ResultListener, UpdateSubscription {

	private static final Log logger = LogFactory.getLog(TaskUpdates.class);

	/** Stands for the backend's subscription once this one is closed. */
	private static final ResultSubscription CLOSED = () -> {
	};

	private final String taskId;

	private final Consumer<TaskResult> callback;

	private final CompletableFuture<ResultMeta> ready = new CompletableFuture<>();

	private final AtomicReference<ResultSubscription> subscription = new AtomicReference<>();

	private TaskUpdates(String taskId, Consumer<TaskResult> callback) {
		this.taskId = taskId;
		this.callback = callback;
		this.ready.whenComplete((meta, ex) -> close());
	}

	/**
	 * Follow the states of a task.
	 * @param backend the result backend
	 * @param taskId the task id
	 * @param callback called with each state, on the backend's threads
	 * @return the subscription
	 */
	static TaskUpdates follow(ResultBackend backend, String taskId, Consumer<TaskResult> callback) {
		Assert.notNull(callback, "'callback' must not be null");
		TaskUpdates updates = new TaskUpdates(taskId, callback);
		ResultSubscription subscription = backend.follow(taskId, updates);
		if (!updates.subscription.compareAndSet(null, subscription)) {
			// the stored state was final and told before follow returned, or closed meanwhile
			subscription.close();
		}
		return updates;
	}

	/**
	 * Return the future of the final state, completed after the callback was called with it;
	 * cancelling it ends the subscription.
	 * @return the future of the final state
	 */
	CompletableFuture<ResultMeta> ready() {
		return this.ready;
	}

	@Override
	public void onResult(ResultMeta meta) {
		if (this.subscription.get() == CLOSED) {
			return;
		}
		try {
			this.callback.accept(TaskResult.of(meta));
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			logger.warn("The update callback of task " + this.taskId + " failed on its " + meta.status()
					+ " state; it is still called with the next ones", ex);
		}
		if (meta.isReady()) {
			this.ready.complete(meta);
		}
	}

	@Override
	public void close() {
		ResultSubscription current = this.subscription.getAndSet(CLOSED);
		if (current != null && current != CLOSED) {
			current.close();
		}
	}

	@Override
	public String toString() {
		return "UpdateSubscription[" + this.taskId + "]";
	}

}
