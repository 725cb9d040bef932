package dev.taskqueue.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Which tasks {@link ClusterState#tasks(TaskQuery)} returns, with Flower's filters: each
 * {@code null} filter matches all.
 *
 * @param limit how many tasks at most
 * @param offset how many matching tasks to skip
 * @param worker the worker's hostname
 * @param taskName the task name
 * @param state the state, such as {@code SUCCESS}
 * @param receivedStart received at or after
 * @param receivedEnd received before
 * @param sortBy the order
 * @param reversed newest (or greatest) first, as Flower sorts by default
 */
public record TaskQuery(int limit, int offset, @Nullable String worker, @Nullable String taskName,
		@Nullable String state, @Nullable Instant receivedStart, @Nullable Instant receivedEnd, SortBy sortBy,
		boolean reversed) {

	public TaskQuery {
		Assert.isTrue(limit >= 0, "'limit' must not be negative");
		Assert.isTrue(offset >= 0, "'offset' must not be negative");
		Assert.notNull(sortBy, "'sortBy' must not be null");
	}

	/**
	 * Every task, newest received first, at most 1000.
	 * @return the query
	 */
	public static TaskQuery all() {
		return new TaskQuery(1000, 0, null, null, null, null, null, SortBy.RECEIVED, true);
	}

	/**
	 * Return this query with a limit and offset.
	 * @param limit how many tasks at most
	 * @param offset how many to skip
	 * @return the query
	 */
	public TaskQuery page(int limit, int offset) {
		return new TaskQuery(limit, offset, this.worker, this.taskName, this.state, this.receivedStart,
				this.receivedEnd, this.sortBy, this.reversed);
	}

	/**
	 * Return this query with filters.
	 * @param worker the worker's hostname, or {@code null}
	 * @param taskName the task name, or {@code null}
	 * @param state the state, or {@code null}
	 * @return the query
	 */
	public TaskQuery filter(@Nullable String worker, @Nullable String taskName, @Nullable String state) {
		return new TaskQuery(this.limit, this.offset, worker, taskName, state, this.receivedStart, this.receivedEnd,
				this.sortBy, this.reversed);
	}

	/**
	 * Return this query limited to tasks received in a range.
	 * @param start received at or after, or {@code null}
	 * @param end received before, or {@code null}
	 * @return the query
	 */
	public TaskQuery receivedBetween(@Nullable Instant start, @Nullable Instant end) {
		return new TaskQuery(this.limit, this.offset, this.worker, this.taskName, this.state, start, end,
				this.sortBy, this.reversed);
	}

	/**
	 * Return this query in another order.
	 * @param sortBy the order
	 * @param reversed greatest first
	 * @return the query
	 */
	public TaskQuery sorted(SortBy sortBy, boolean reversed) {
		return new TaskQuery(this.limit, this.offset, this.worker, this.taskName, this.state, this.receivedStart,
				this.receivedEnd, sortBy, reversed);
	}

	/**
	 * The orders of Flower's task list.
	 */
	public enum SortBy {

		/** By the time received; tasks never received last. */
		RECEIVED,

		/** By the time started; tasks never started last. */
		STARTED,

		/** By task name. */
		NAME,

		/** By state. */
		STATE

	}

}
