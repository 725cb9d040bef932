package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.events.EventSender.QueuedEvent;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.ExchangeType;

/**
 * Sends Celery's monitoring events for one node (a worker, or a client's {@code task-sent}),
 * as Celery's {@code celery.events.EventDispatcher}: to the {@code celeryev} topic exchange
 * with the event type as routing key ({@code worker-heartbeat} on {@code worker.heartbeat}),
 * header {@code hostname}, a JSON body and no persistence. Task events are gathered and sent
 * as one {@code task.multi} message holding a list, as Celery's worker buffers them.
 * <p>
 * Sending never blocks and never throws: events go to a bounded queue that one thread of the
 * dispatcher, started by {@link #start()} or the first event, sends from. When the queue is
 * full, the broker is down or the dispatcher is closed, events are dropped, counted in
 * {@link #droppedCount()}, and a warning is logged at most once a minute. Thread-safe.
 */
public final class EventDispatcher implements AutoCloseable {

	private final EventFactory factory;

	private final BlockingQueue<QueuedEvent> queue;

	private final DroppedEvents dropped;

	private final Settings settings;

	private final Thread thread;

	private final int reserved;

	private final Object monitor = new Object();

	private volatile boolean closed;

	private volatile boolean started;

	/**
	 * Create a dispatcher with Celery's exchange and the default settings.
	 * @param transport the broker's broadcast transport
	 * @param hostname the node name events are sent as ({@code celery@host} for a worker,
	 * {@code gen<pid>@host} for a client)
	 * @param clock the process's Lamport clock
	 */
	public EventDispatcher(BroadcastTransport transport, String hostname, LamportClock clock) {
		this(transport, hostname, clock, Settings.defaults());
	}

	/**
	 * Create a dispatcher.
	 * @param transport the broker's broadcast transport
	 * @param hostname the node name events are sent as
	 * @param clock the process's Lamport clock
	 * @param settings the exchange, queue and batch settings
	 */
	public EventDispatcher(BroadcastTransport transport, String hostname, LamportClock clock, Settings settings) {
		this(transport, hostname, clock, settings, Clock.systemDefaultZone());
	}

	EventDispatcher(BroadcastTransport transport, String hostname, LamportClock clock, Settings settings,
			Clock wallClock) {
		Assert.hasText(hostname, "'hostname' must not be empty");
		this.factory = new EventFactory(hostname, clock, wallClock);
		this.settings = settings;
		this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
		this.reserved = Math.min(16, settings.queueCapacity() / 4);
		this.dropped = new DroppedEvents(hostname, System::nanoTime);
		BroadcastExchange exchange = new BroadcastExchange(settings.exchange(), ExchangeType.TOPIC, true);
		EventSender sender = new EventSender(transport, exchange, hostname, this.queue, settings, () -> this.closed,
				this.dropped);
		this.thread = new Thread(sender, "taskqueue-events-" + hostname);
		this.thread.setDaemon(true);
	}

	/**
	 * Return the node name events are sent as.
	 * @return the node name
	 */
	public String hostname() {
		return this.factory.hostname();
	}

	/**
	 * Start the thread that sends; the first event sent starts it too. Nothing when started
	 * or closed.
	 */
	public void start() {
		synchronized (this.monitor) {
			if (!this.started && !this.closed) {
				this.started = true;
				this.thread.start();
			}
		}
	}

	/**
	 * Send an event on its own, as Celery sends worker events and {@code task-sent}.
	 * @param type the event type, such as {@code worker-heartbeat}
	 * @param fields the event's own fields, in order; values are JSON values
	 */
	public void send(String type, Map<String, ? extends @Nullable Object> fields) {
		enqueue(type, fields, false);
	}

	/**
	 * Send a task event in the next {@code task.multi} batch.
	 * @param type the event type, such as {@code task-started}
	 * @param fields the event's own fields, in order; values are JSON values
	 */
	public void sendBatched(String type, Map<String, ? extends @Nullable Object> fields) {
		enqueue(type, fields, true);
	}

	private void enqueue(String type, Map<String, ? extends @Nullable Object> fields, boolean batched) {
		if (!this.started) {
			start();
		}
		if (this.closed) {
			this.dropped.drop(1, "the dispatcher is closed", null);
			return;
		}
		// task events leave room for the worker's heartbeats, which keep it alive in monitors
		if ((batched && this.queue.remainingCapacity() <= this.reserved)
				|| !this.queue.offer(new QueuedEvent(this.factory.create(type, fields), batched))) {
			this.dropped.drop(1, "the queue of " + this.settings.queueCapacity() + " events is full", null);
		}
	}

	/**
	 * Return how many events were dropped since the dispatcher was created.
	 * @return the number of events
	 */
	public long droppedCount() {
		return this.dropped.total();
	}

	/**
	 * Send what is queued, waiting at most the settings' close timeout, and stop. Events sent
	 * afterwards are dropped.
	 */
	@Override
	public void close() {
		synchronized (this.monitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (!this.started) {
				return;
			}
		}
		this.queue.offer(QueuedEvent.WAKE_UP);
		try {
			this.thread.join(this.settings.closeTimeout().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			this.thread.interrupt();
		}
	}

	/**
	 * How a dispatcher sends.
	 *
	 * @param exchange the events exchange (Celery's {@code event_exchange}, {@code celeryev})
	 * @param queueCapacity how many events may wait to be sent before new ones are dropped
	 * @param batchLimit how many task events a {@code task.multi} message holds at most
	 * (Celery's {@code buffer_limit}, 24)
	 * @param flushInterval how long a task event waits at most for others to join its batch
	 * @param closeTimeout how long {@link EventDispatcher#close()} waits for queued events to
	 * be sent
	 */
	public record Settings(String exchange, int queueCapacity, int batchLimit, Duration flushInterval,
			Duration closeTimeout) {

		public Settings {
			Assert.hasText(exchange, "'exchange' must not be empty");
			Assert.isTrue(queueCapacity > 0, "'queueCapacity' must be positive");
			Assert.isTrue(batchLimit > 0, "'batchLimit' must be positive");
			Assert.isTrue(!flushInterval.isNegative(), "'flushInterval' must not be negative");
			Assert.isTrue(!closeTimeout.isNegative(), "'closeTimeout' must not be negative");
		}

		/**
		 * The defaults: exchange {@code celeryev}, 10000 queued events, batches of 24, flushed
		 * after 100 ms, 5 s to send what is queued on close.
		 * @return the settings
		 */
		public static Settings defaults() {
			return new Settings("celeryev", 10_000, 24, Duration.ofMillis(100), Duration.ofSeconds(5));
		}

		/**
		 * Return these settings with another exchange.
		 * @param name the exchange name
		 * @return the settings
		 */
		public Settings withExchange(String name) {
			return new Settings(name, this.queueCapacity, this.batchLimit, this.flushInterval, this.closeTimeout);
		}

	}

}
