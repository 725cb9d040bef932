package dev.taskqueue.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.TaskTimeoutException;

/**
 * The future a task client method returning {@code CompletableFuture<T>} gives: completed with
 * the task's result, or exceptionally with the starter's exception (not wrapped), and with
 * {@link TaskTimeoutException} once the timeout, counted from the call, has passed. It stops
 * listening to the result backend when it completes, also when the caller cancels it.
 */
final class ResultFuture {

	private ResultFuture() {
	}

	static CompletableFuture<Object> of(TaskOperations tasks, CompletableFuture<AsyncResult<Object>> sent,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		CompletableFuture<Object> caller = new CompletableFuture<>();
		sent.whenComplete((result, sendFailure) -> {
			if (sendFailure != null) {
				caller.completeExceptionally(unwrap(sendFailure));
				return;
			}
			CompletableFuture<Object> outcome = result.toCompletableFuture();
			caller.whenComplete((value, failure) -> outcome.cancel(false));
			outcome.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
				.whenCompleteAsync((value, failure) -> settle(caller, value, failure, tasks, result.id(), timeout));
		});
		return caller;
	}

	private static void settle(CompletableFuture<Object> caller, @Nullable Object value, @Nullable Throwable failure,
			TaskOperations tasks, String id, Duration timeout) {
		if (failure == null) {
			caller.complete(value);
		}
		else if (unwrap(failure) instanceof TimeoutException) {
			caller.completeExceptionally(timedOut(tasks, id, timeout));
		}
		else {
			caller.completeExceptionally(unwrap(failure));
		}
	}

	private static Throwable timedOut(TaskOperations tasks, String id, Duration timeout) {
		try {
			return new TaskTimeoutException(id, timeout, tasks.result(id).state());
		}
		catch (RuntimeException ex) {
			TaskTimeoutException timedOut = new TaskTimeoutException(id, timeout, TaskState.PENDING);
			timedOut.addSuppressed(ex);
			return timedOut;
		}
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
