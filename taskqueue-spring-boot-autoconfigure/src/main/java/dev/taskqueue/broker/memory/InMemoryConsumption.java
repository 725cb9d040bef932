package dev.taskqueue.broker.memory;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.GuardedDeliveryHandler;
import dev.taskqueue.broker.PrefetchWindow;
import dev.taskqueue.broker.memory.InMemoryBroker.QueuedMessage;

/**
 * One consumer of an {@link InMemoryBroker}: a thread that hands messages to the handler
 * while fewer than the prefetch limit are outstanding.
 */
final class InMemoryConsumption implements Consumption {

	private static final long IDLE_WAIT_MILLIS = 200;

	private final InMemoryBroker broker;

	private final ConsumerSettings settings;

	private final DeliveryHandler handler;

	private final PrefetchWindow window;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread thread;

	InMemoryConsumption(InMemoryBroker broker, ConsumerSettings settings, DeliveryHandler handler) {
		this.broker = broker;
		this.settings = settings;
		this.handler = GuardedDeliveryHandler.of(handler);
		this.window = new PrefetchWindow(settings.prefetch());
		this.thread = new Thread(this::run, "taskqueue-memory-consumer");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	private void run() {
		while (this.running.get()) {
			try {
				this.window.acquire();
				QueuedMessage message = nextMessage();
				if (message == null) {
					this.window.release(1);
					continue;
				}
				this.handler.onDelivery(new InMemoryDelivery(this.broker, message, this.window.slot()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private @Nullable QueuedMessage nextMessage() throws InterruptedException {
		QueuedMessage message = this.broker.poll(this.settings.queues());
		while (message == null && this.running.get()) {
			this.broker.awaitMessage(IDLE_WAIT_MILLIS);
			message = this.broker.poll(this.settings.queues());
		}
		return message;
	}

	@Override
	public void close() {
		if (this.running.compareAndSet(true, false)) {
			this.thread.interrupt();
			try {
				this.thread.join(IDLE_WAIT_MILLIS * 5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
