package dev.taskqueue.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;

/**
 * The events of a Java worker on a real broadcast transport, for the interop tests with
 * {@link CeleryEventMonitor}: heartbeats every 500 ms from {@link #start()}, and the
 * {@code task-received}, {@code task-started} and {@code task-succeeded} events of
 * {@code tasks.add(2, 3)} returning 5 in 7 ms on each {@link #runTask()}. It notes the routing
 * keys it publishes with.
 */
public final class InteropWorker implements AutoCloseable {

	private final List<String> routingKeys = new CopyOnWriteArrayList<>();

	private final EventDispatcher dispatcher;

	private final WorkerHeartbeats heartbeats;

	private final TaskEventSender tasks;

	private final AtomicInteger runs = new AtomicInteger();

	/**
	 * Create a worker's events.
	 * @param transport the broker's broadcasts
	 * @param exchange the events exchange
	 * @param node the node name
	 */
	public InteropWorker(BroadcastTransport transport, String exchange, String node) {
		this.dispatcher = new EventDispatcher(new Noting(transport), node, new LamportClock(),
				EventDispatcher.Settings.defaults().withExchange(exchange));
		this.heartbeats = new WorkerHeartbeats(this.dispatcher, Duration.ofMillis(500), () -> 0, this.runs::get);
		this.tasks = new TaskEventSender(this.dispatcher, true);
	}

	/** Send worker-online and start the heartbeats. */
	public void start() {
		this.heartbeats.start();
	}

	/** Send the events of one more run of {@code tasks.add(2, 3)}. */
	public void runTask() {
		TaskMessage add = TaskMessageBuilder.task("tasks.add").id("java-add-" + this.runs.incrementAndGet())
			.args(List.of(2, 3)).build();
		this.tasks.taskReceived(add, "celery");
		this.tasks.taskStarted(add, "celery");
		this.tasks.taskSucceeded(add, "celery", 5, Duration.ofMillis(7));
	}

	/**
	 * Return the routing keys published with, in order.
	 * @return the routing keys
	 */
	public List<String> routingKeys() {
		return List.copyOf(this.routingKeys);
	}

	/**
	 * Return how many events were dropped.
	 * @return the number
	 */
	public long dropped() {
		return this.dispatcher.droppedCount();
	}

	@Override
	public void close() {
		this.heartbeats.stop();
		this.dispatcher.close();
	}

	/** The broker's broadcasts, noting each routing key. */
	private final class Noting implements BroadcastTransport {

		private final BroadcastTransport delegate;

		Noting(BroadcastTransport delegate) {
			this.delegate = delegate;
		}

		@Override
		public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
			InteropWorker.this.routingKeys.add(routingKey);
			this.delegate.publish(exchange, routingKey, message);
		}

		@Override
		public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
			return this.delegate.subscribe(exchange, queue, listener);
		}

	}

}
