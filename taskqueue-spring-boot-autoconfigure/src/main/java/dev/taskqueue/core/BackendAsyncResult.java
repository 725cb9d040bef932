package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.ResultMeta;

/**
 * An {@link AsyncResult} read from a {@link ResultBackend}. Waiting subscribes to the task's
 * updates first and reads the stored state second, so no update can slip between the two.
 *
 * @param <T> the type the result is converted to
 */
final class BackendAsyncResult<T> implements AsyncResult<T> {

	private final String id;

	private final JavaType resultType;

	private final ResultBackend backend;

	private final JsonMapper mapper;

	private final TaskOperations operations;

	BackendAsyncResult(String id, JavaType resultType, ResultBackend backend, JsonMapper mapper,
			TaskOperations operations) {
		this.id = id;
		this.resultType = resultType;
		this.backend = backend;
		this.mapper = mapper;
		this.operations = operations;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public TaskState state() {
		return TaskState.of(stored().status());
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
		return convert(awaitMeta(timeout), this.resultType);
	}

	@Override
	public <R> @Nullable R get(Duration timeout, Class<R> type) {
		return convert(awaitMeta(timeout), this.mapper.constructType(type));
	}

	@Override
	public <R> @Nullable R get(Duration timeout, ParameterizedTypeReference<R> type) {
		return convert(awaitMeta(timeout), this.mapper.getTypeFactory().constructType(type.getType()));
	}

	@Override
	public @Nullable T get(Duration timeout, Consumer<TaskResult> onUpdate) {
		return convert(awaitMeta(TaskUpdates.follow(this.backend, this.id, onUpdate).ready(), timeout),
				this.resultType);
	}

	@Override
	public UpdateSubscription onUpdate(Consumer<TaskResult> onUpdate) {
		return TaskUpdates.follow(this.backend, this.id, onUpdate);
	}

	@Override
	public TaskResult await(Duration timeout) {
		return TaskResult.of(awaitMeta(timeout));
	}

	@Override
	public @Nullable Object result() {
		return stored().result();
	}

	@Override
	public @Nullable String traceback() {
		return stored().traceback();
	}

	@Override
	public @Nullable Instant dateDone() {
		return stored().dateDone();
	}

	@Override
	public List<String> children() {
		return stored().childIds();
	}

	@Override
	public @Nullable Integer retries() {
		ResultMeta.Extended extended = stored().extended();
		return (extended != null) ? extended.retries() : null;
	}

	@Override
	public void forget() {
		this.backend.forget(this.id);
	}

	@Override
	public void revoke() {
		revoke(false);
	}

	@Override
	public void revoke(boolean terminate) {
		this.operations.revoke(this.id, terminate);
	}

	/**
	 * Completes on a thread of the common pool, so that callbacks chained by the caller never run
	 * on (and stall) the result backend's own threads. See {@link SubscribedFuture} for when
	 * the subscription ends.
	 */
	@Override
	public CompletableFuture<T> toCompletableFuture() {
		return SubscribedFuture.subscribe(this.backend, this.id, this::stored,
				(meta) -> convert(meta, this.resultType));
	}

	@Override
	public TaskResult meta() {
		return TaskResult.of(stored());
	}

	private ResultMeta stored() {
		return this.backend.get(this.id);
	}

	private ResultMeta awaitMeta(Duration timeout) {
		return awaitMeta(awaitReady(), timeout);
	}

	private ResultMeta awaitMeta(CompletableFuture<ResultMeta> ready, Duration timeout) {
		try {
			return ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new TaskTimeoutException(this.id, timeout, state());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskInterruptedException(this.id, ex);
		}
		catch (ExecutionException ex) {
			throw unwrap(ex.getCause());
		}
		finally {
			ready.cancel(false);
		}
	}

	private TaskQueueException unwrap(@Nullable Throwable cause) {
		if (cause instanceof TaskQueueException exception) {
			return exception;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new ResultBackendException("Reading the result of task " + this.id + " failed: " + cause, cause);
	}

	private CompletableFuture<ResultMeta> awaitReady() {
		CompletableFuture<ResultMeta> future = new CompletableFuture<>();
		ResultSubscription subscription = this.backend.subscribe(this.id, (meta) -> {
			if (meta.isReady()) {
				future.complete(meta);
			}
		});
		future.whenComplete((meta, ex) -> subscription.close());
		try {
			ResultMeta current = stored();
			if (current.isReady()) {
				future.complete(current);
			}
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(ex);
		}
		return future;
	}

	private <R> @Nullable R convert(ResultMeta meta, JavaType type) {
		if (CeleryStates.FAILURE.equals(meta.status())) {
			throw new TaskFailedException(this.id, exceptionOf(meta), meta.traceback());
		}
		if (CeleryStates.REVOKED.equals(meta.status())) {
			throw new TaskRevokedException(this.id, exceptionOf(meta).text());
		}
		try {
			return this.mapper.convertValue(meta.result(), type);
		}
		catch (JacksonException ex) {
			// the result is data from the worker: a caller catches TaskQueueException, not Jackson's
			throw new TaskResultConversionException(this.id, type.toString(), ex);
		}
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
