package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.routing.Destination;

/**
 * Publishes task messages as kombu's Redis transport does: one {@code LPUSH} of the envelope
 * to the queue's list for its priority, after a {@code SADD} of the queue's binding the first
 * time, both pipelined on the shared connection. No routing-table read is needed: the
 * transport publishes to the default exchange only, whose routing key is the queue.
 * <p>
 * At most {@code maxInFlight} publishes wait for Redis's reply at once: a publish waits for
 * room beyond that, no longer than the connection's command timeout, so that
 * {@link #publishAsync} applies back-pressure instead of queueing commands without bound.
 * <p>
 * A publish refused with {@code READONLY} (a replica, such as a master being demoted by a
 * failover) was not written: it is tried again every 100 ms until the connection reaches a
 * master (Sentinel disconnects the clients of the instance it demotes, and the client
 * reconnects through the Sentinels), at most until the command timeout; it is never dropped
 * silently.
 * <p>
 * With {@code waitForReplicas}, a {@code WAIT} pipelined after the {@code LPUSH} holds the
 * publish until that many replicas have the message: a master that dies right after answering
 * then cannot take it away in a failover, since Sentinel promotes the replica that has the
 * most. A publish that fewer replicas confirmed in time fails, although the master has it.
 */
final class RedisPublisher {

	/** The pause before a write refused by a replica is tried again. */
	static final Duration RETRY_DELAY = Duration.ofMillis(100);

	private final RedisChannel channel;

	private final RedisConnector connector;

	private final int maxInFlight;

	private final Semaphore window;

	private final int waitForReplicas;

	private final Duration waitForReplicasTimeout;

	RedisPublisher(RedisChannel channel, RedisTransportOptions options) {
		this.channel = channel;
		this.connector = channel.connector();
		this.maxInFlight = options.maxInFlight();
		this.window = new Semaphore(this.maxInFlight);
		this.waitForReplicas = options.waitForReplicas();
		this.waitForReplicasTimeout = options.waitForReplicasTimeout();
	}

	/**
	 * Publish and wait for Redis's reply.
	 * @param message the message to publish
	 * @throws BrokerException when Redis did not take it
	 */
	void publish(OutboundMessage message) {
		String queue = queue(message.destination());
		long deadline = System.nanoTime() + this.connector.timeout().toNanos();
		while (true) {
			Push push = push(message, queue);
			try {
				this.connector.await(push.done(), "publish to queue '" + queue + "'",
						Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				return;
			}
			catch (BrokerException ex) {
				// timed out before it was written: never send it (a no-op once it was)
				push.lpush().cancel(true);
				if (!RedisConnector.refusedByReplica(ex) || System.nanoTime() + RETRY_DELAY.toNanos() > deadline) {
					throw ex;
				}
				pauseBeforeRetry(queue);
			}
		}
	}

	/**
	 * Publish without waiting for Redis's reply.
	 * @param message the message to publish
	 * @return completed once Redis took the message, or exceptionally with a
	 * {@link BrokerException}
	 */
	CompletableFuture<Void> publishAsync(OutboundMessage message) {
		String queue = queue(message.destination());
		Duration timeout = this.connector.timeout();
		try {
			if (!this.window.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				return CompletableFuture.failedFuture(new BrokerException("Redis broker " + this.connector.url()
						+ " did not answer the " + this.maxInFlight + " publishes in flight (max-in-flight) within "
						+ timeout + "; the message for queue '" + queue + "' was not sent"));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture.failedFuture(new BrokerException("Interrupted while waiting for room to publish "
					+ "to queue '" + queue + "' on Redis broker " + this.connector.url() + "; it was not sent", ex));
		}
		CompletableFuture<Void> published = new CompletableFuture<>();
		published.whenComplete((done, ex) -> this.window.release());
		attempt(message, queue, System.nanoTime() + timeout.toNanos(), published);
		return published;
	}

	// one LPUSH; a write refused by a replica is tried again on the master until the deadline
	private void attempt(OutboundMessage message, String queue, long deadline, CompletableFuture<Void> published) {
		Push command;
		try {
			command = push(message, queue);
		}
		catch (RuntimeException ex) {
			published.completeExceptionally(new BrokerException("Redis broker " + this.connector.url()
					+ " failed to publish to queue '" + queue + "': " + ex.getMessage(), ex));
			return;
		}
		Duration timeout = this.connector.timeout();
		long remaining = Math.max(1, deadline - System.nanoTime());
		command.done().copy().orTimeout(remaining, TimeUnit.NANOSECONDS).whenComplete((pushed, ex) -> {
			if (ex == null) {
				published.complete(null);
			}
			else if (ex instanceof TimeoutException) {
				// not sent yet (Redis away): never send it, nobody would read the reply
				boolean unsent = command.lpush().cancel(true);
				published.completeExceptionally(new BrokerException("Redis broker " + this.connector.url()
						+ " did not answer within " + timeout + " to publish to queue '" + queue + "'"
						+ (unsent ? "; the message was not sent" : "")));
			}
			else if (RedisConnector.refusedByReplica(ex) && System.nanoTime() + RETRY_DELAY.toNanos() < deadline) {
				CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS)
					.execute(() -> attempt(message, queue, deadline, published));
			}
			else {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				published.completeExceptionally(new BrokerException("Redis broker " + this.connector.url()
						+ " failed to publish to queue '" + queue + "': " + cause.getMessage(), cause));
			}
		});
	}

	// wait a little before writing again to a Redis that answered READONLY: a failover takes seconds
	private void pauseBeforeRetry(String queue) {
		try {
			Thread.sleep(RETRY_DELAY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("Interrupted while waiting for a Redis master to publish to queue '" + queue
					+ "' on Redis broker " + this.connector.url() + "; it was not sent", ex);
		}
	}

	private Push push(OutboundMessage message, String queue) {
		byte[] envelope = this.channel.envelopes()
			.write(message.message(), message.destination(), UUID.randomUUID().toString());
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
		this.channel.bindAsync(commands, queue);
		// pipelined after the SADD on the same connection: one round trip
		CompletableFuture<Long> lpush = commands
			.lpush(this.channel.keys().list(queue, message.message().properties().priority()), envelope)
			.toCompletableFuture();
		if (this.waitForReplicas == 0) {
			return new Push(lpush, lpush);
		}
		CompletableFuture<Long> replicas = commands
			.waitForReplication(this.waitForReplicas, this.waitForReplicasTimeout.toMillis())
			.toCompletableFuture();
		return new Push(lpush, lpush.thenCompose((pushed) -> replicas).thenApply((count) -> {
			if (count == null || count < this.waitForReplicas) {
				throw new IllegalStateException("the message is on the master, but only " + count + " of the "
						+ this.waitForReplicas + " replicas asked for (wait-for-replicas) had it within "
						+ this.waitForReplicasTimeout + ": a failover could lose it");
			}
			return count;
		}));
	}

	private static String queue(Destination destination) {
		if (!destination.isDirectToQueue()) {
			throw new UnsupportedOperationException("The Redis transport publishes to the default exchange only: "
					+ "cannot publish to exchange '" + destination.exchange() + "' (routing key '"
					+ destination.routingKey() + "'); route the task to a queue instead");
		}
		return destination.routingKey();
	}

	/**
	 * One publish's commands.
	 *
	 * @param lpush the {@code LPUSH}, which can be cancelled while it is not sent
	 * @param done completes when the message is published: pushed, and on the replicas asked for
	 */
	private record Push(CompletableFuture<Long> lpush, CompletableFuture<Long> done) {

	}

}
