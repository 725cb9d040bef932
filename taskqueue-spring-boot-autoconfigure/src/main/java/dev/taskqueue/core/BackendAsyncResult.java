package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskState;

/**
 * An {@link AsyncResult} read from a {@link ResultBackend}. Waiting subscribes to the task's
 * updates first and reads the stored state second, so no update can slip between the two.
 */
final class BackendAsyncResult<T> implements AsyncResult<T> {

	private final String id;

	private final Class<T> resultType;

	private final ResultBackend backend;

	private final JsonMapper mapper;

	BackendAsyncResult(String id, Class<T> resultType, ResultBackend backend, JsonMapper mapper) {
		this.id = id;
		this.resultType = resultType;
		this.backend = backend;
		this.mapper = mapper;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public TaskState state() {
		return meta().status();
	}

	@Override
	public boolean ready() {
		return state().isReady();
	}

	@Override
	public boolean successful() {
		return TaskState.SUCCESS.equals(state());
	}

	@Override
	public boolean failed() {
		return TaskState.FAILURE.equals(state());
	}

	@Override
	public @Nullable T get(Duration timeout) {
		return get(timeout, this.resultType);
	}

	@Override
	public <R> @Nullable R get(Duration timeout, Class<R> type) {
		CompletableFuture<ResultMeta> ready = awaitReady();
		try {
			return convert(ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS), type);
		}
		catch (TimeoutException ex) {
			throw new TaskTimeoutException(this.id, timeout, state().name());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskTimeoutException(this.id, timeout, "waited for (interrupted)");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Reading the result of task " + this.id + " failed", ex.getCause());
		}
		finally {
			ready.cancel(false);
		}
	}

	@Override
	public @Nullable Object result() {
		return meta().result();
	}

	@Override
	public @Nullable String traceback() {
		return meta().traceback();
	}

	@Override
	public @Nullable Instant dateDone() {
		return meta().dateDone();
	}

	@Override
	public void forget() {
		this.backend.forget(this.id);
	}

	/**
	 * Completes on a thread of the common pool, so that callbacks chained by the caller never run
	 * on (and stall) the result backend's own threads. See {@link SubscribedFuture} for when
	 * the subscription ends.
	 */
	@Override
	public CompletableFuture<T> toCompletableFuture() {
		return SubscribedFuture.subscribe(this.backend, this.id, this::meta, (meta) -> convert(meta, this.resultType));
	}

	@Override
	public ResultMeta meta() {
		return this.backend.get(this.id);
	}

	private CompletableFuture<ResultMeta> awaitReady() {
		CompletableFuture<ResultMeta> future = new CompletableFuture<>();
		ResultSubscription subscription = this.backend.subscribe(this.id, (meta) -> {
			if (meta.status().isReady()) {
				future.complete(meta);
			}
		});
		future.whenComplete((meta, ex) -> subscription.close());
		try {
			ResultMeta current = meta();
			if (current.status().isReady()) {
				future.complete(current);
			}
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(ex);
		}
		return future;
	}

	private <R> @Nullable R convert(ResultMeta meta, Class<R> type) {
		if (TaskState.FAILURE.equals(meta.status())) {
			throw new TaskFailedException(this.id, exceptionOf(meta), meta.traceback());
		}
		if (TaskState.REVOKED.equals(meta.status())) {
			throw new TaskRevokedException(this.id, exceptionOf(meta).text());
		}
		return this.mapper.convertValue(meta.result(), type);
	}

	private static ExceptionInfo exceptionOf(ResultMeta meta) {
		ExceptionInfo exception = meta.exception();
		return (exception != null) ? exception
				: ExceptionInfo.python("builtins", "Exception", String.valueOf(meta.result()));
	}

	@Override
	public String toString() {
		return "AsyncResult[" + this.id + "]";
	}

}
