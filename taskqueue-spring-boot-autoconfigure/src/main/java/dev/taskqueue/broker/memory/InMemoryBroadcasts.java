package dev.taskqueue.broker.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.routing.ExchangeType;

/**
 * The broadcast exchanges of an {@link InMemoryBroker}: a publish hands a copy to every
 * subscription of the exchange whose binding matches (all of them on a fanout exchange, the
 * routing key's on a direct one, AMQP's {@code *} and {@code #} patterns on a topic one). One
 * daemon thread delivers, in the order of publishing.
 */
final class InMemoryBroadcasts {

	private static final Log logger = LogFactory.getLog(InMemoryBroadcasts.class);

	private final List<Bound> subscriptions = new CopyOnWriteArrayList<>();

	private final ExecutorService deliveries = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "taskqueue-memory-broadcast");
		thread.setDaemon(true);
		return thread;
	});

	void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		for (Bound bound : this.subscriptions) {
			if (bound.exchange().equals(exchange.name()) && matches(exchange.type(), bound.queue().bindingKey(),
					routingKey)) {
				deliver(bound, routingKey, message);
			}
		}
	}

	Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		Bound bound = new Bound(exchange.name(), queue, listener);
		this.subscriptions.add(bound);
		return () -> this.subscriptions.remove(bound);
	}

	private void deliver(Bound bound, String routingKey, BroadcastMessage message) {
		try {
			this.deliveries.execute(() -> {
				if (!this.subscriptions.contains(bound)) {
					return;
				}
				try {
					bound.listener().onMessage(routingKey, message);
				}
				catch (RuntimeException | Error ex) {
					logger.warn("Listener of broadcast queue '" + bound.queue().name() + "' failed", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Broadcast to queue '" + bound.queue().name() + "' dropped: " + ex.getMessage());
		}
	}

	static boolean matches(ExchangeType type, String bindingKey, String routingKey) {
		return switch (type) {
			case FANOUT -> true;
			case DIRECT -> bindingKey.equals(routingKey);
			case TOPIC -> TopicPattern.matches(bindingKey, routingKey);
		};
	}

	/**
	 * A subscription: the queue bound to an exchange and who receives its messages. Equal
	 * only to itself, so that closing one of two alike subscriptions removes that one.
	 */
	private static final class Bound {

		private final String exchange;

		private final BroadcastQueue queue;

		private final BroadcastListener listener;

		Bound(String exchange, BroadcastQueue queue, BroadcastListener listener) {
			this.exchange = exchange;
			this.queue = queue;
			this.listener = listener;
		}

		String exchange() {
			return this.exchange;
		}

		BroadcastQueue queue() {
			return this.queue;
		}

		BroadcastListener listener() {
			return this.listener;
		}

	}

}
