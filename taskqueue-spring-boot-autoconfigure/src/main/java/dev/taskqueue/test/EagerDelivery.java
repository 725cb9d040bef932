package dev.taskqueue.test;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A message handed straight from the sender to the worker's execution path; remembers how the
 * worker settled it.
 */
final class EagerDelivery implements Delivery {

	private final TaskMessage message;

	private final String queue;

	private final AtomicReference<@Nullable String> refusal = new AtomicReference<>();

	private volatile boolean settled;

	EagerDelivery(TaskMessage message, String queue) {
		this.message = message;
		this.queue = queue;
	}

	@Override
	public TaskMessage message() {
		return this.message;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public boolean redelivered() {
		return false;
	}

	@Override
	public int deliveryCount() {
		return 1;
	}

	@Override
	public void ack() {
		this.settled = true;
	}

	@Override
	public void requeue() {
		refuse("the worker gave the message back");
	}

	@Override
	public void deadLetter(String reason) {
		refuse(reason);
	}

	private void refuse(String reason) {
		if (!this.settled) {
			this.settled = true;
			this.refusal.set(reason);
		}
	}

	/**
	 * Return why the worker refused the message, or {@code null} when it ran the task.
	 * @return the reason for the refusal, or {@code null}
	 */
	@Nullable String refusal() {
		return this.refusal.get();
	}

}
