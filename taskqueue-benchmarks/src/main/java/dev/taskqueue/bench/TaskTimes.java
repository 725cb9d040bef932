package dev.taskqueue.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.worker.TaskListener;

/**
 * When the worker received, started and finished the {@code bench.add} task in flight, with
 * {@link System#nanoTime()} (the worker runs in the benchmark's JVM), for the breakdown of the
 * round trip. The round trip sends one task at a time, so one set of times is enough.
 * <p>
 * {@code taskSucceeded} is told after the result was stored and, when tasks acknowledge late,
 * after the message was acknowledged: the client may have its result before it.
 */
@Component
public class TaskTimes implements TaskListener {

	private static final String ADD = "bench.add";

	private volatile long received;

	private volatile long started;

	private volatile long returned;

	private volatile long succeeded;

	private volatile @Nullable Thread waiter;

	@Override
	public void taskReceived(TaskMessage message, String queue) {
		if (ADD.equals(message.task())) {
			this.received = System.nanoTime();
		}
	}

	@Override
	public void taskStarted(TaskMessage message, String queue) {
		if (ADD.equals(message.task())) {
			this.started = System.nanoTime();
		}
	}

	@Override
	public void taskSucceeded(TaskMessage message, String queue, @Nullable Object result, Duration runtime) {
		if (ADD.equals(message.task())) {
			this.succeeded = System.nanoTime();
			Thread waiting = this.waiter;
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
		}
	}

	/** The task's method is about to return, told by the task itself. */
	void returned() {
		this.returned = System.nanoTime();
	}

	/** Forget the times of the task before. */
	void reset() {
		this.received = 0;
		this.started = 0;
		this.returned = 0;
		this.succeeded = 0;
	}

	/**
	 * Wait (parked, at most a second) until the worker told that the task succeeded, and read
	 * the times.
	 * @return the times, or {@code null} when one of them is missing
	 */
	@Nullable Times await() {
		long deadline = System.nanoTime() + 1_000_000_000L;
		this.waiter = Thread.currentThread();
		while (this.succeeded == 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(this, deadline - System.nanoTime());
		}
		this.waiter = null;
		Times times = new Times(this.received, this.started, this.returned, this.succeeded);
		return (times.received() == 0 || times.started() == 0 || times.returned() == 0 || times.succeeded() == 0)
				? null : times;
	}

	/**
	 * The worker's times of one task, from {@link System#nanoTime()}.
	 * @param received the worker took the message from the broker
	 * @param started the task started
	 * @param returned the task's method returned
	 * @param succeeded the worker stored the result (and acknowledged the message) and told
	 * its listeners
	 */
	record Times(long received, long started, long returned, long succeeded) {
	}

}
