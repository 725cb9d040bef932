package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP.BasicProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import dev.taskqueue.broker.BrokerException;

/**
 * Publishes on a few {@link PublishingChannel channels} of the publishing connection. With
 * confirms on, a publishing thread hands its message to the least busy channel's writing
 * thread and waits for the confirm, so threads publishing at the same time share the
 * channels and RabbitMQ confirms their messages in batches; without confirms it takes a free
 * channel (or waits for one) and writes itself.
 * <p>
 * A publish never waits longer than the confirm timeout, counted from the call, for a
 * channel, for RabbitMQ to unblock the connection ({@link BlockedConnections}), or for the
 * confirm, which also bounds a write that stalls because RabbitMQ stopped reading. It then
 * fails saying why, and whether the message was sent. Without confirms, a write under way
 * when RabbitMQ blocks the connection holds its thread until RabbitMQ reads again. The
 * connection factory should be a publishing one (Spring AMQP's
 * {@code getPublisherConnectionFactory()}), so that a blocked connection does not hold up
 * consumers and their acknowledgements.
 * <p>
 * At most {@code maxInFlight} messages are on their way at once (handed over and not yet
 * confirmed, refused or given up): a publish waits for room, no longer than the confirm
 * timeout, so that {@link #publishAsync} applies back-pressure instead of queueing without
 * bound.
 */
final class AmqpPublisher {

	private final String url;

	private final boolean confirms;

	private final Duration confirmTimeout;

	private final BlockedConnections blocks;

	private final PublishingChannel[] channels;

	private final AtomicInteger next = new AtomicInteger();

	private final int maxInFlight;

	private final Semaphore window;

	AmqpPublisher(ConnectionFactory connectionFactory, String url, boolean confirms, Duration confirmTimeout,
			int maxInFlight, int channels) {
		this.url = url;
		this.confirms = confirms;
		this.confirmTimeout = confirmTimeout;
		this.maxInFlight = maxInFlight;
		this.window = new Semaphore(maxInFlight);
		this.blocks = new BlockedConnections(url);
		this.channels = new PublishingChannel[channels];
		for (int i = 0; i < channels; i++) {
			this.channels[i] = new PublishingChannel(connectionFactory, this.blocks, confirms,
					"taskqueue-amqp-publisher-" + (i + 1));
		}
	}

	/**
	 * Publish a message and, with confirms on, wait until RabbitMQ confirmed it; never longer
	 * than the confirm timeout.
	 * @param exchange the exchange name
	 * @param routingKey the routing key
	 * @param properties the properties of the message
	 * @param body the body of the message
	 * @throws BrokerException when the message was not published, refused, returned as
	 * unroutable, or not confirmed in time
	 */
	void publish(String exchange, String routingKey, BasicProperties properties, byte[] body) {
		Outgoing outgoing = new Outgoing(exchange, routingKey, properties, body,
				System.nanoTime() + this.confirmTimeout.toNanos());
		PublishingChannel channel = start(outgoing, false);
		String failure;
		try {
			failure = outgoing.result.get(Math.max(0, outgoing.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new BrokerException(failurePrefix(outgoing) + timedOut(channel, outgoing));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw interrupted(outgoing, ex);
		}
		catch (ExecutionException ex) {
			throw failed(outgoing, ex.getCause());
		}
		if (failure != null) {
			throw new BrokerException(failurePrefix(outgoing) + failure);
		}
	}

	/**
	 * Publish a message without waiting for its confirm. Waits for room in the in-flight
	 * window when it is full, no longer than the confirm timeout.
	 * @param exchange the exchange name
	 * @param routingKey the routing key
	 * @param properties the properties of the message
	 * @param body the body of the message
	 * @return completed once RabbitMQ confirmed the message (with confirms off, once it was
	 * written), or exceptionally with a {@link BrokerException}
	 */
	CompletableFuture<Void> publishAsync(String exchange, String routingKey, BasicProperties properties, byte[] body) {
		Outgoing outgoing = new Outgoing(exchange, routingKey, properties, body,
				System.nanoTime() + this.confirmTimeout.toNanos());
		PublishingChannel channel;
		try {
			channel = start(outgoing, true);
		}
		catch (BrokerException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Void> published = new CompletableFuture<>();
		outgoing.result.orTimeout(Math.max(0, outgoing.deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
			.whenComplete((failure, ex) -> {
				if (ex instanceof TimeoutException) {
					published.completeExceptionally(
							new BrokerException(failurePrefix(outgoing) + timedOut(channel, outgoing)));
				}
				else if (ex != null) {
					published.completeExceptionally(failed(outgoing, ex));
				}
				else if (failure != null) {
					published.completeExceptionally(new BrokerException(failurePrefix(outgoing) + failure));
				}
				else {
					published.complete(null);
				}
			});
		return published;
	}

	/**
	 * Take room in the in-flight window, given back once the message's result is known or its
	 * sender gave up, then hand the message over (confirms on) or write it (confirms off).
	 * @param outgoing the message to publish
	 * @param pinned whether to hand it to the calling thread's own channel, which keeps the
	 * order of the messages a thread sends without waiting for each
	 * @return the channel the message was handed to or written on
	 * @throws BrokerException when there was no room in time, or the broker was destroyed
	 */
	private PublishingChannel start(Outgoing outgoing, boolean pinned) {
		try {
			if (!this.window.tryAcquire(Math.max(0, outgoing.deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				throw new BrokerException(failurePrefix(outgoing) + "the " + this.maxInFlight
						+ " messages of the in-flight window (max-in-flight) were still waiting for their confirm "
						+ "after " + this.confirmTimeout + "; the message was not sent");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException(failurePrefix(outgoing)
					+ "interrupted while waiting for room in the in-flight window; the message was not sent", ex);
		}
		outgoing.result.whenComplete((failure, ex) -> this.window.release());
		try {
			return this.confirms ? handOver(outgoing, pinned) : write(outgoing);
		}
		catch (BrokerException ex) {
			outgoing.result.complete(ex.getMessage());
			throw ex;
		}
	}

	private String failurePrefix(Outgoing outgoing) {
		return "Cannot publish to exchange '" + outgoing.exchange + "' with routing key '" + outgoing.routingKey
				+ "' on RabbitMQ at " + this.url + ": ";
	}

	private BrokerException failed(Outgoing outgoing, Throwable cause) {
		if (cause instanceof InterruptedException interruption) {
			return interrupted(outgoing, interruption);
		}
		return new BrokerException(failurePrefix(outgoing) + AmqpErrors.describe(cause), cause);
	}

	/**
	 * Hand the message to the channel with the fewest messages waiting, the next in turn first,
	 * or to the calling thread's own channel.
	 * @param outgoing the message to publish
	 * @param pinned whether to hand it to the calling thread's own channel
	 * @return the channel the message was handed to
	 */
	private PublishingChannel handOver(Outgoing outgoing, boolean pinned) {
		int start = Math.floorMod(pinned ? System.identityHashCode(Thread.currentThread()) : this.next.getAndIncrement(),
				this.channels.length);
		PublishingChannel chosen = this.channels[start];
		int least = chosen.outstanding();
		for (int i = 1; !pinned && i < this.channels.length && least > 0; i++) {
			PublishingChannel channel = this.channels[(start + i) % this.channels.length];
			int outstanding = channel.outstanding();
			if (outstanding < least) {
				chosen = channel;
				least = outstanding;
			}
		}
		try {
			chosen.submit(outgoing);
		}
		catch (RejectedExecutionException ex) {
			throw new BrokerException(failurePrefix(outgoing) + "the broker was destroyed");
		}
		return chosen;
	}

	/**
	 * Write the message on a free channel, or on the next in turn once it is free.
	 * @param outgoing the message to publish
	 * @return the channel the message was written on, or waited for
	 */
	private PublishingChannel write(Outgoing outgoing) {
		int start = Math.floorMod(this.next.getAndIncrement(), this.channels.length);
		for (int i = 0; i < this.channels.length; i++) {
			PublishingChannel channel = this.channels[(start + i) % this.channels.length];
			if (channel.tryLock()) {
				return writeLocked(channel, outgoing);
			}
		}
		PublishingChannel channel = this.channels[start];
		try {
			if (channel.tryLock(outgoing.deadline)) {
				return writeLocked(channel, outgoing);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw interrupted(outgoing, ex);
		}
		return channel;
	}

	private static PublishingChannel writeLocked(PublishingChannel channel, Outgoing outgoing) {
		try {
			channel.writeLocked(outgoing);
		}
		finally {
			channel.unlock();
		}
		return channel;
	}

	private String timedOut(PublishingChannel channel, Outgoing outgoing) {
		boolean unsent = outgoing.giveUp();
		String blocked = channel.blockedReason();
		if (blocked == null) {
			// a channel not connected yet, which would have been blocked as the others are
			blocked = this.blocks.reason();
		}
		if (blocked != null) {
			return "RabbitMQ is blocking publishers (" + blocked + ") and did not unblock within "
					+ this.confirmTimeout + outcome(unsent);
		}
		if (unsent) {
			return "no publishing channel was free within " + this.confirmTimeout + outcome(true);
		}
		return "no publisher confirm within " + this.confirmTimeout + " (the message may or may not have been taken)";
	}

	private BrokerException interrupted(Outgoing outgoing, InterruptedException ex) {
		return new BrokerException(failurePrefix(outgoing) + "interrupted while waiting for the "
				+ (this.confirms ? "publisher confirm" : "channel") + outcome(outgoing.giveUp()), ex);
	}

	private static String outcome(boolean unsent) {
		return unsent ? "; the message was not sent" : "; the message may or may not have been taken";
	}

	/**
	 * Close the channels once the messages already handed over are done; messages still
	 * waiting for their confirm fail. Waits no longer than the confirm timeout.
	 */
	void close() {
		for (PublishingChannel channel : this.channels) {
			channel.close();
		}
		this.blocks.close();
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		try {
			for (PublishingChannel channel : this.channels) {
				channel.awaitClosed(deadline);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
