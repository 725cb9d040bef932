package dev.taskqueue.broker.amqp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP.BasicProperties;
import org.jspecify.annotations.Nullable;

/**
 * A message on its way to a {@link PublishingChannel}, and what became of it. Its sender and
 * the thread that writes it agree on whether it was written: once its sender gave up, it is
 * not written any more.
 */
final class Outgoing {

	private static final int QUEUED = 0;

	private static final int TAKEN = 1;

	private static final int CANCELLED = 2;

	private static final String GAVE_UP = "its sender stopped waiting";

	final String exchange;

	final String routingKey;

	final BasicProperties properties;

	final byte[] body;

	/** When its sender gives up, in {@link System#nanoTime()}. */
	final long deadline;

	/**
	 * {@code null} once RabbitMQ confirmed the message (or, without confirms, once it was
	 * written), else why it was not taken.
	 */
	final CompletableFuture<@Nullable String> result = new CompletableFuture<>();

	private final AtomicInteger state = new AtomicInteger(QUEUED);

	private volatile ConfirmChannel.@Nullable Pending pending;

	private volatile boolean abandoned;

	Outgoing(String exchange, String routingKey, BasicProperties properties, byte[] body, long deadline) {
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.properties = properties;
		this.body = body;
		this.deadline = deadline;
	}

	/**
	 * Its sender stops waiting; its result is then known, which gives its room in the
	 * in-flight window back.
	 * @return {@code true} when the message was not written and will not be, {@code false}
	 * when it was (or is being) written and may or may not be taken
	 */
	boolean giveUp() {
		if (this.state.compareAndSet(QUEUED, CANCELLED)) {
			this.result.complete(GAVE_UP);
			return true;
		}
		this.abandoned = true;
		ConfirmChannel.Pending pending = this.pending;
		if (pending != null) {
			pending.abandon();
		}
		this.result.complete(GAVE_UP);
		return false;
	}

	boolean isCancelled() {
		return this.state.get() == CANCELLED;
	}

	/**
	 * Take the message for writing, unless its sender gave up.
	 * @return whether the message was taken
	 */
	boolean take() {
		return this.state.compareAndSet(QUEUED, TAKEN);
	}

	/**
	 * Written: done without confirms, else waiting for its confirm.
	 * @param pending the pending confirm, or {@code null} when confirms are off
	 */
	void written(ConfirmChannel.@Nullable Pending pending) {
		if (pending == null) {
			this.result.complete(null);
			return;
		}
		this.pending = pending;
		if (this.abandoned) {
			pending.abandon();
		}
	}

}
