package dev.taskqueue.broker.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliverySlot;
import dev.taskqueue.broker.LazyMessage;
import dev.taskqueue.broker.redis.Envelopes.EnvelopeException;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A message popped from a Redis list. The envelope is decoded on first use; a malformed one
 * makes {@link #message()} throw rather than stop the consumer. Settling removes the
 * message's entry from kombu's ack-emulation keys and frees a prefetch slot, once.
 * <p>
 * The {@link #deliveryCount() delivery count} of a message kombu or this library marked
 * redelivered ({@code headers.redelivered}, set when a message is restored or requeued) is
 * kept in a counter in Redis, keyed by the delivery tag, which stays the same across
 * restores: a first delivery costs no round trip. The delivery is counted when its count is
 * first asked for, which the worker does on receipt, before the task can start; a delivery
 * whose consumer died before asking does not count. Acknowledging or dead-lettering a
 * counted message deletes its counter.
 */
final class RedisDelivery implements Delivery {

	private final RedisChannel channel;

	private final PopOrder.Popped popped;

	private final DeliverySlot slot;

	private final Consumer<RedisDelivery> settled;

	private final AtomicBoolean done = new AtomicBoolean();

	private final LazyMessage message = new LazyMessage(this::decode);

	private volatile boolean markedRedelivered;

	private int deliveryCount;

	private volatile boolean counted;

	RedisDelivery(RedisChannel channel, PopOrder.Popped popped, DeliverySlot slot, Consumer<RedisDelivery> settled) {
		this.channel = channel;
		this.popped = popped;
		this.slot = slot;
		this.settled = settled;
	}

	@Override
	public TaskMessage message() {
		return this.message.get();
	}

	private TaskMessage decode() {
		EncodedMessage encoded;
		try {
			encoded = this.channel.envelopes().read(this.popped.envelope());
		}
		catch (EnvelopeException ex) {
			throw new MessageDecodingException("Invalid Redis message envelope: " + ex.getMessage(), ex);
		}
		// kombu marks the headers of every message it restores
		this.markedRedelivered = Boolean.TRUE.equals(encoded.headers().get("redelivered"));
		return this.channel.codec().decode(encoded);
	}

	@Override
	public String queue() {
		return this.popped.queue();
	}

	/**
	 * Return the message's {@code delivery_tag}.
	 * @return the delivery tag, or {@code null} when it was not recorded as unacknowledged
	 */
	@Nullable String tag() {
		return this.popped.tag();
	}

	@Override
	public boolean redelivered() {
		return this.channel.envelopes().isRedelivered(this.popped.envelope());
	}

	/**
	 * The first call on a message marked redelivered counts the delivery in Redis; the count
	 * is remembered. A message whose envelope cannot be read counts 1.
	 */
	@Override
	public synchronized int deliveryCount() {
		if (this.deliveryCount == 0) {
			this.deliveryCount = countDelivery();
		}
		return this.deliveryCount;
	}

	private int countDelivery() {
		String tag = this.popped.tag();
		if (tag == null) {
			return 1;
		}
		try {
			message();
		}
		catch (MessageDecodingException ex) {
			// the envelope may still have been read, and its mark with it
		}
		if (!this.markedRedelivered) {
			return 1;
		}
		this.counted = true;
		return this.channel.counters().count(tag);
	}

	DeliverySlot slot() {
		return this.slot;
	}

	@Override
	public boolean defer() {
		TaskMessage message = message();
		this.channel.held(message.id(), message.headers().eta());
		return this.slot.defer();
	}

	@Override
	public void resume() {
		this.slot.resume();
	}

	@Override
	public void ack() {
		String tag = this.popped.tag();
		if (settle() && tag != null) {
			this.channel.ack(tag);
			forgetDeliveries(tag);
		}
	}

	/**
	 * Give the message back, lowering its delivery counter by one; the delivery is counted
	 * first when it was not yet, so that the next delivery has this one's count.
	 */
	@Override
	public void requeue() {
		if (settle()) {
			try {
				deliveryCount();
			}
			finally {
				this.channel.requeue(this.popped.queue(), this.popped.text(), this.popped.tag());
			}
		}
	}

	@Override
	public void deadLetter(String reason) {
		if (settle()) {
			this.channel.deadLetter(this.popped.queue(), this.popped.text(), this.popped.tag(), reason);
			String tag = this.popped.tag();
			if (tag != null) {
				forgetDeliveries(tag);
			}
		}
	}

	private void forgetDeliveries(String tag) {
		if (this.counted) {
			this.channel.counters().forget(tag);
		}
	}

	private boolean settle() {
		if (this.done.compareAndSet(false, true)) {
			this.settled.accept(this);
			return true;
		}
		return false;
	}

	@Override
	public String toString() {
		return "RedisDelivery[queue=" + this.popped.queue() + ", tag=" + this.popped.tag() + "]";
	}

}
