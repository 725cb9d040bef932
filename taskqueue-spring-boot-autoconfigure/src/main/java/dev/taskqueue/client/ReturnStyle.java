package dev.taskqueue.client;

/**
 * How a task client method returns, chosen by its return type.
 */
enum ReturnStyle {

	/** {@code T}: send, wait for the result and return it. */
	RESULT(true),

	/** {@code AsyncResult<T>}: send and return the handle. */
	ASYNC_RESULT(false),

	/** {@code CompletableFuture<T>} or {@code CompletionStage<T>}: send, complete with the result. */
	FUTURE(true),

	/** {@code void}: send, return nothing. */
	NONE(false),

	/** {@code Signature}: build the call, do not send it. */
	SIGNATURE(false);

	private final boolean waits;

	ReturnStyle(boolean waits) {
		this.waits = waits;
	}

	/**
	 * Return whether the caller waits for the result, so that a timeout applies.
	 * @return whether a timeout applies
	 */
	boolean waits() {
		return this.waits;
	}

}
