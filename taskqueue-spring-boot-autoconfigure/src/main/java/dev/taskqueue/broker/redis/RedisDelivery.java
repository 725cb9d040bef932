package dev.taskqueue.broker.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliverySlot;
import dev.taskqueue.broker.LazyMessage;
import dev.taskqueue.broker.redis.Envelopes.EnvelopeException;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A message popped from a Redis list. The envelope is decoded on first use; a malformed one
 * makes {@link #message()} throw rather than stop the consumer. Settling removes the
 * message's entry from kombu's ack-emulation keys and frees a prefetch slot, once.
 */
final class RedisDelivery implements Delivery {

	private final RedisChannel channel;

	private final PopOrder.Popped popped;

	private final DeliverySlot slot;

	private final Consumer<RedisDelivery> settled;

	private final AtomicBoolean done = new AtomicBoolean();

	private final LazyMessage message = new LazyMessage(this::decode);

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
		try {
			return this.channel.codec().decode(this.channel.envelopes().read(this.popped.envelope()));
		}
		catch (EnvelopeException ex) {
			throw new MessageDecodingException("Invalid Redis message envelope: " + ex.getMessage(), ex);
		}
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
		if (settle() && this.popped.tag() != null) {
			this.channel.ack(this.popped.tag());
		}
	}

	@Override
	public void requeue() {
		if (settle()) {
			this.channel.requeue(this.popped.queue(), this.popped.text(), this.popped.tag());
		}
	}

	@Override
	public void deadLetter(String reason) {
		if (settle()) {
			this.channel.deadLetter(this.popped.queue(), this.popped.text(), this.popped.tag(), reason);
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
