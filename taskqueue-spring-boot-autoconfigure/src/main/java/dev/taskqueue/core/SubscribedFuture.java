package dev.taskqueue.core;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ResultMeta;

/**
 * The future of {@link AsyncResult#toCompletableFuture()}. It owns a subscription to the
 * task's states and ends it as soon as it completes in any way: with the task's result, or
 * by the caller's {@code cancel}, {@code complete}, {@code orTimeout} and the like.
 * <p>
 * A future that never completes ends its subscription too once nothing can observe it: the
 * backend's listener holds it weakly and a {@link Cleaner} ends the subscription when it is
 * collected. Anything that waits on the future holds it strongly until it completes, so
 * that no callback is lost: a stage derived from it ({@code thenApply}, {@code whenComplete},
 * {@code orTimeout}, {@code copy()}...), a stage that combines it with another one
 * ({@code thenCombine}, {@code applyToEither}, {@code thenCompose} returning it) and its
 * {@link #minimalCompletionStage()}. Only the static {@link CompletableFuture#allOf} and
 * {@link CompletableFuture#anyOf} leave no trace on it: their caller must hold the futures
 * it passes.
 * <p>
 * It completes on the default async executor (the common pool) and never on a thread of
 * the result backend, so that callbacks chained without {@code Async} cannot stall the
 * backend.
 *
 * @param <T> the type of the result
 */
final class SubscribedFuture<T> extends CompletableFuture<T> {

	private static final Log logger = LogFactory.getLog(SubscribedFuture.class);

	private static final Cleaner cleaner = Cleaner
		.create((action) -> new Thread(action, "taskqueue-result-cleaner"));

	/** Set once the subscription is in place: from then on, a dependent keeps this future. */
	private volatile @Nullable Completer<T> completer;

	private SubscribedFuture() {
	}

	/**
	 * Subscribe to the states of a task and return the future of its result.
	 * @param backend the result backend
	 * @param taskId the task id
	 * @param stored reads the stored state; called after subscribing, so no state is missed
	 * @param conversion turns a ready state into the result, or throws
	 * @param <T> the type of the result
	 * @return the future
	 */
	static <T> CompletableFuture<T> subscribe(ResultBackend backend, String taskId, Supplier<ResultMeta> stored,
			Function<ResultMeta, T> conversion) {
		SubscribedFuture<T> future = new SubscribedFuture<>();
		Completer<T> completer = new Completer<>(future, conversion);
		ResultSubscription subscription = backend.subscribe(taskId, completer);
		Cleaner.Cleanable ending = cleaner.register(future, new Ending(taskId, subscription));
		future.whenComplete((result, ex) -> ending.clean());
		future.completer = completer;
		try {
			completer.onResult(stored.get());
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(new CompletionException(ex));
		}
		return future;
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		keepUntilDone();
		return new CompletableFuture<>();
	}

	@Override
	public CompletableFuture<T> toCompletableFuture() {
		keepUntilDone();
		return this;
	}

	@Override
	public CompletionStage<T> minimalCompletionStage() {
		keepUntilDone();
		return super.minimalCompletionStage();
	}

	private void keepUntilDone() {
		Completer<T> completer = this.completer;
		if (completer != null && !isDone()) {
			completer.keep(this);
		}
	}

	/**
	 * The listener given to the backend. It holds the future weakly until something waits on
	 * it, and completes it on the future's default executor.
	 */
	private static final class Completer<T> extends WeakReference<SubscribedFuture<T>>
			implements ResultListener {

		private final Function<ResultMeta, T> conversion;

		private final Executor executor;

		/** Never read: holds the future strongly once something waits on it. */
		private volatile @Nullable SubscribedFuture<T> kept;

		Completer(SubscribedFuture<T> future, Function<ResultMeta, T> conversion) {
			super(future);
			this.conversion = conversion;
			this.executor = future.defaultExecutor();
		}

		void keep(SubscribedFuture<T> future) {
			this.kept = future;
		}

		@Override
		public void onResult(ResultMeta meta) {
			if (!meta.isReady()) {
				return;
			}
			SubscribedFuture<T> future = get();
			if (future != null && !future.isDone()) {
				this.executor.execute(() -> complete(future, meta));
			}
		}

		private void complete(SubscribedFuture<T> future, ResultMeta meta) {
			try {
				future.complete(this.conversion.apply(meta));
			}
			catch (RuntimeException ex) {
				future.completeExceptionally(new CompletionException(ex));
			}
		}

	}

	/** Ends the subscription; refers to nothing that could keep the future reachable. */
	private record Ending(String taskId, ResultSubscription subscription) implements Runnable {

		@Override
		public void run() {
			try {
				this.subscription.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot end the subscription to the states of task " + this.taskId, ex);
			}
		}

	}

}
