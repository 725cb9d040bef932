package dev.taskqueue.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.events.EventBodies.MalformedEventException;
import dev.taskqueue.routing.ExchangeType;

/**
 * Receives Celery's monitoring events, as Celery's {@code celery.events.EventReceiver}: binds a
 * queue {@code celeryev.<uuid4>} with {@code #} to the events exchange (topic, durable), with
 * {@code x-message-ttl} 5000 and {@code x-expires} 60000, and hands every event, a map as sent,
 * to a listener, one at a time on the transport's thread.
 * <p>
 * Bodies are untrusted: only JSON bodies within the size limit are read, each must be an event
 * object or a list of them ({@code task.multi}), and each event an object with a string
 * {@code type}. Other messages are skipped, counted in {@link #ignoredCount()}, and logged at
 * WARN at most once a minute. Whatever the listener throws is logged and receiving goes on.
 */
public final class EventReceiver implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EventReceiver.class);

	/** The largest body read, in bytes: 4 MiB. */
	public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;

	private final Subscription subscription;

	private final EventBodies bodies;

	private final Consumer<Map<String, Object>> listener;

	private final DroppedEvents ignored = new DroppedEvents(logger, "received event message(s)", System::nanoTime);

	private final AtomicLong received = new AtomicLong();

	private final String queueName;

	/**
	 * Subscribe to Celery's exchange {@code celeryev}, with no wake-up.
	 * @param transport the broker's broadcast transport
	 * @param listener receives each event
	 */
	public EventReceiver(BroadcastTransport transport, Consumer<Map<String, Object>> listener) {
		this(transport, "celeryev", listener, null);
	}

	/**
	 * Subscribe to an events exchange.
	 * @param transport the broker's broadcast transport
	 * @param exchange the events exchange (Celery's {@code event_exchange})
	 * @param listener receives each event
	 * @param wakeUp called once subscribed, such as a broadcast of the {@code heartbeat} control
	 * command so that workers announce themselves (Celery's {@code wakeup_workers}); may be
	 * {@code null}
	 * @throws dev.taskqueue.broker.BrokerException when the broker cannot be reached
	 */
	public EventReceiver(BroadcastTransport transport, String exchange, Consumer<Map<String, Object>> listener,
			@Nullable Runnable wakeUp) {
		this(transport, exchange, listener, wakeUp, DEFAULT_MAX_BODY_SIZE);
	}

	EventReceiver(BroadcastTransport transport, String exchange, Consumer<Map<String, Object>> listener,
			@Nullable Runnable wakeUp, int maxBodySize) {
		Assert.hasText(exchange, "'exchange' must not be empty");
		Assert.notNull(listener, "'listener' must not be null");
		this.listener = listener;
		this.bodies = new EventBodies(maxBodySize);
		this.queueName = "celeryev." + UUID.randomUUID();
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-message-ttl", 5000);
		arguments.put("x-expires", 60000);
		BroadcastQueue queue = new BroadcastQueue(this.queueName, "#", arguments);
		this.subscription = transport.subscribe(new BroadcastExchange(exchange, ExchangeType.TOPIC, true), queue,
				this::onMessage);
		if (wakeUp != null) {
			try {
				wakeUp.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not wake up workers: " + ex);
			}
		}
	}

	private void onMessage(String routingKey, BroadcastMessage message) {
		List<Map<String, Object>> events;
		try {
			events = this.bodies.read(message);
		}
		catch (MalformedEventException ex) {
			this.ignored.drop(1, "message on " + routingKey + " skipped: " + ex.getMessage(), null);
			return;
		}
		catch (RuntimeException | StackOverflowError ex) {
			this.ignored.drop(1, "message on " + routingKey + " skipped", ex);
			return;
		}
		for (Map<String, Object> event : events) {
			this.received.incrementAndGet();
			try {
				this.listener.accept(event);
			}
			catch (RuntimeException | Error ex) {
				logger.warn("Event listener failed on " + event.get("type") + " event", ex);
			}
		}
	}

	/**
	 * Return the name of the queue bound to the exchange.
	 * @return {@code celeryev.<uuid4>}
	 */
	public String queueName() {
		return this.queueName;
	}

	/**
	 * Return how many events were handed to the listener.
	 * @return the number of events
	 */
	public long receivedCount() {
		return this.received.get();
	}

	/**
	 * Return how many messages were skipped as not event bodies.
	 * @return the number of messages
	 */
	public long ignoredCount() {
		return this.ignored.total();
	}

	/**
	 * Stop receiving.
	 */
	@Override
	public void close() {
		this.subscription.close();
	}

}
