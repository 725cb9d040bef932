package dev.taskqueue.broker.memory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;

/**
 * A {@link Broker} in this JVM. Queues are created on first use; within a queue a higher
 * priority is served first (as on RabbitMQ), then first in, first out. Messages are lost when
 * the JVM stops. Broadcast messages (remote control, events) reach the subscriptions bound at
 * the time of publishing, on one thread of the broker, in order.
 */
public class InMemoryBroker implements Broker, BrokerAdmin, BroadcastTransport {

	private final Map<String, PriorityBlockingQueue<QueuedMessage>> queues = new ConcurrentHashMap<>();

	private final Queue<StoredDeadLetter> deadLetters = new ConcurrentLinkedQueue<>();

	private final AtomicLong sequence = new AtomicLong();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition messageAvailable = this.lock.newCondition();

	private final MessageCodec codec;

	private final InMemoryBroadcasts broadcasts = new InMemoryBroadcasts();

	/**
	 * Create a broker.
	 * @param codec decodes the messages handed to consumers
	 */
	public InMemoryBroker(MessageCodec codec) {
		this.codec = codec;
	}

	@Override
	public void publish(OutboundMessage message) {
		enqueue(message.destination().routingKey(), message.message(), false);
	}

	@Override
	public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
		InMemoryConsumption consumption = new InMemoryConsumption(this, settings, handler);
		consumption.start();
		return consumption;
	}

	@Override
	public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		this.broadcasts.publish(exchange, routingKey, message);
	}

	@Override
	public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		return this.broadcasts.subscribe(exchange, queue, listener);
	}

	@Override
	public void ping() {
	}

	@Override
	public String url() {
		return "memory://";
	}

	@Override
	public long size(String queue) {
		PriorityBlockingQueue<QueuedMessage> messages = this.queues.get(queue);
		return (messages != null) ? messages.size() : 0;
	}

	@Override
	public long deadLetterCount(String queue) {
		return this.deadLetters.stream().filter((stored) -> stored.letter().queue().equals(queue)).count();
	}

	@Override
	public List<DeadLetter> deadLetters(String queue, int limit) {
		return this.deadLetters.stream()
			.map(StoredDeadLetter::letter)
			.filter((letter) -> letter.queue().equals(queue))
			.limit(limit)
			.toList();
	}

	@Override
	public boolean requeueDeadLetter(String queue, String taskId) {
		for (StoredDeadLetter stored : this.deadLetters) {
			if (stored.letter().queue().equals(queue) && taskId.equals(stored.letter().taskId())
					&& this.deadLetters.remove(stored)) {
				enqueue(queue, stored.message(), false);
				return true;
			}
		}
		return false;
	}

	void enqueue(String queue, EncodedMessage message, boolean redelivered) {
		QueuedMessage queued = new QueuedMessage(message, message.properties().priority(),
				this.sequence.incrementAndGet(), redelivered);
		this.queues.computeIfAbsent(queue, (name) -> new PriorityBlockingQueue<>()).add(queued);
		signal();
	}

	void deadLetter(String queue, EncodedMessage message, String reason) {
		DeadLetter letter = new DeadLetter(queue, reason, Instant.now(), text(message.headers().get("id")),
				text(message.headers().get("task")), message.body());
		this.deadLetters.add(new StoredDeadLetter(letter, message));
	}

	@Nullable QueuedMessage poll(List<String> queueNames) {
		for (String name : queueNames) {
			PriorityBlockingQueue<QueuedMessage> messages = this.queues.get(name);
			QueuedMessage message = (messages != null) ? messages.poll() : null;
			if (message != null) {
				return message.withQueue(name);
			}
		}
		return null;
	}

	void awaitMessage(long timeoutMillis) throws InterruptedException {
		this.lock.lock();
		try {
			this.messageAvailable.await(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		finally {
			this.lock.unlock();
		}
	}

	void signal() {
		this.lock.lock();
		try {
			this.messageAvailable.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	MessageCodec codec() {
		return this.codec;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String text) ? text : null;
	}

	/** A dead letter with the message to requeue. */
	private record StoredDeadLetter(DeadLetter letter, EncodedMessage message) {
	}

	record QueuedMessage(EncodedMessage message, int priority, long sequence, boolean redelivered,
			@Nullable String queue) implements Comparable<QueuedMessage> {

		QueuedMessage(EncodedMessage message, int priority, long sequence, boolean redelivered) {
			this(message, priority, sequence, redelivered, null);
		}

		QueuedMessage withQueue(String queue) {
			return new QueuedMessage(this.message, this.priority, this.sequence, this.redelivered, queue);
		}

		@Override
		public int compareTo(QueuedMessage other) {
			int byPriority = Integer.compare(other.priority, this.priority);
			return (byPriority != 0) ? byPriority : Long.compare(this.sequence, other.sequence);
		}

	}

}
