package dev.taskqueue.broker.memory;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliverySlot;
import dev.taskqueue.broker.LazyMessage;
import dev.taskqueue.broker.memory.InMemoryBroker.QueuedMessage;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A message handed out by an {@link InMemoryBroker}; settling it frees a prefetch slot.
 */
final class InMemoryDelivery implements Delivery {

	private final InMemoryBroker broker;

	private final QueuedMessage queued;

	private final DeliverySlot slot;

	private final AtomicBoolean settled = new AtomicBoolean();

	private final LazyMessage message;

	InMemoryDelivery(InMemoryBroker broker, QueuedMessage queued, DeliverySlot slot) {
		this.broker = broker;
		this.queued = queued;
		this.slot = slot;
		this.message = new LazyMessage(() -> broker.codec().decode(queued.message()));
	}

	@Override
	public TaskMessage message() {
		return this.message.get();
	}

	@Override
	public String queue() {
		String queue = this.queued.queue();
		return (queue != null) ? queue : "";
	}

	@Override
	public boolean redelivered() {
		return this.queued.redelivered();
	}

	/**
	 * Always 1: a message of this JVM's broker is lost with the JVM, never delivered again
	 * after its consumer died, and one given back with {@link #requeue()} does not count.
	 */
	@Override
	public int deliveryCount() {
		return 1;
	}

	@Override
	public boolean defer() {
		return this.slot.defer();
	}

	@Override
	public void resume() {
		this.slot.resume();
	}

	@Override
	public void ack() {
		settle();
	}

	@Override
	public void requeue() {
		if (settle()) {
			this.broker.enqueue(queue(), this.queued.message(), true);
		}
	}

	@Override
	public void deadLetter(String reason) {
		if (settle()) {
			this.broker.deadLetter(queue(), this.queued.message(), reason);
		}
	}

	private boolean settle() {
		if (this.settled.compareAndSet(false, true)) {
			this.slot.free();
			return true;
		}
		return false;
	}

}
