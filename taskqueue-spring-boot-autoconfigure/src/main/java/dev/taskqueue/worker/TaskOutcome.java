package dev.taskqueue.worker;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskMessage;

/**
 * How a task ended: its return value, what it threw, or its revocation while it ran.
 *
 * @param state the final state
 * @param result the return value, or the reason of a revocation
 * @param failure what the task threw, or {@code null}
 * @param exception the exception stored for a failure, or {@code null}
 */
record TaskOutcome(String state, @Nullable Object result, @Nullable Throwable failure,
		@Nullable ExceptionInfo exception) {

	static TaskOutcome success(@Nullable Object result) {
		return new TaskOutcome(CeleryStates.SUCCESS, result, null, null);
	}

	static TaskOutcome failure(Throwable failure) {
		return new TaskOutcome(CeleryStates.FAILURE, null, failure, TimeLimits.describe(failure));
	}

	static TaskOutcome failure(ExceptionInfo exception, @Nullable Throwable failure) {
		return new TaskOutcome(CeleryStates.FAILURE, null, failure, exception);
	}

	static TaskOutcome revoked(String reason) {
		return new TaskOutcome(CeleryStates.REVOKED, reason, null, null);
	}

	boolean isRevoked() {
		return CeleryStates.REVOKED.equals(this.state);
	}

	void store(ResultRecorder recorder, TaskMessage message, String queue) {
		if (isRevoked()) {
			recorder.revoked(message, queue, String.valueOf(this.result));
		}
		else if (this.exception != null) {
			recorder.failure(message, queue, this.exception, this.failure);
		}
		else {
			recorder.success(message, queue, this.result);
		}
	}

	/**
	 * Continue the task's canvas without storing its result ({@code ignore_result}).
	 * @param recorder the recorder
	 * @param message the task's message
	 */
	void continueUnstored(ResultRecorder recorder, TaskMessage message) {
		ResultMeta meta;
		if (isRevoked()) {
			meta = ResultMeta.revoked(message.id(), String.valueOf(this.result));
		}
		else if (this.exception != null) {
			meta = ResultMeta.ofException(message.id(), CeleryStates.FAILURE, this.exception, null);
		}
		else {
			meta = ResultMeta.of(message.id(), CeleryStates.SUCCESS, this.result);
		}
		recorder.unstored(message, meta);
	}

	/**
	 * Return a JVM error that must reach the pool thread after the task's state is recorded.
	 * @return the error, or {@code null}
	 */
	@Nullable Error fatal() {
		return (this.failure instanceof Error error && !(error instanceof AssertionError)) ? error : null;
	}

}
