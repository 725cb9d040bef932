package dev.taskqueue.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.control.PidboxRequest.ReplyTo;
import dev.taskqueue.protocol.LamportClock;

/**
 * The client half of kombu's {@code Mailbox}: {@code _broadcast}, {@code _publish} and
 * {@code _collect}. For a request that wants replies a reply queue
 * {@code <oid>.reply.celery.pidbox} is bound with a fresh oid before the request is
 * published, and replies carrying the request's ticket are collected until the timeout or
 * until as many nodes as were named have replied; then the queue goes away.
 */
final class Broadcaster {

	private static final Log logger = LogFactory.getLog(Broadcaster.class);

	/** The most replies kept from one broadcast. */
	static final int MAX_REPLIES = 10_000;

	private final BroadcastTransport transport;

	private final LamportClock clock;

	private final Mailbox mailbox;

	private final PidboxCodec codec = new PidboxCodec();

	Broadcaster(BroadcastTransport transport, LamportClock clock, Mailbox mailbox) {
		this.transport = transport;
		this.clock = clock;
		this.mailbox = mailbox;
	}

	/**
	 * Broadcast a command.
	 * @param method the command
	 * @param arguments its arguments
	 * @param target the nodes addressed
	 * @param reply whether to collect replies
	 * @param timeout how long to collect them
	 * @return the replies by node name; empty when none are wanted
	 */
	Map<String, @Nullable Object> broadcast(String method, Map<String, ?> arguments, Target target, boolean reply,
			Duration timeout) {
		double expires = System.currentTimeMillis() / 1000.0 + timeout.toNanos() / 1e9;
		if (!reply) {
			publish(method, arguments, target, null, null, expires);
			return Map.of();
		}
		String oid = UUID.randomUUID().toString();
		String ticket = UUID.randomUUID().toString();
		BlockingQueue<PidboxReply> replies = new LinkedBlockingQueue<>(MAX_REPLIES);
		try (Subscription subscription = this.transport.subscribe(this.mailbox.replies(),
				this.mailbox.replyQueue(oid), (routingKey, message) -> onReply(message, ticket, replies))) {
			publish(method, arguments, target, ticket, new ReplyTo(this.mailbox.replies().name(), oid), expires);
			return collect(replies, target.limit(), timeout);
		}
	}

	private void publish(String method, Map<String, ?> arguments, Target target, @Nullable String ticket,
			@Nullable ReplyTo replyTo, double expires) {
		PidboxRequest request = new PidboxRequest(method, new LinkedHashMap<>(arguments), target.destination(),
				target.pattern(), target.matcher(), ticket, replyTo, this.clock.forward());
		this.transport.publish(this.mailbox.requests(), "", this.codec.encodeRequest(request, expires));
	}

	// On the transport's thread
	private void onReply(BroadcastMessage message, String ticket, BlockingQueue<PidboxReply> replies) {
		try {
			PidboxReply reply = this.codec.decodeReply(message);
			Clocks.adjust(this.clock, reply.clock());
			Double expires = reply.expires();
			if (expires != null && expires > 0 && System.currentTimeMillis() / 1000.0 > expires) {
				return;
			}
			if (ticket.equals(reply.ticket()) && !replies.offer(reply)) {
				logger.warn("Remote-control reply dropped: more than " + MAX_REPLIES + " replies");
			}
		}
		catch (PidboxMessageException ex) {
			logger.warn("Remote-control reply ignored: " + ex.getMessage());
		}
		catch (RuntimeException | Error ex) {
			logger.error("Remote-control reply ignored", ex);
		}
	}

	private Map<String, @Nullable Object> collect(BlockingQueue<PidboxReply> replies, int limit, Duration timeout) {
		Map<String, @Nullable Object> byNode = new LinkedHashMap<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		int received = 0;
		try {
			while (limit <= 0 || received < limit) {
				PidboxReply reply = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (reply == null) {
					break;
				}
				received++;
				for (Map.Entry<String, @Nullable Object> entry : reply.body().entrySet()) {
					if (byNode.containsKey(entry.getKey())) {
						logger.warn("Received multiple replies from node name: " + PidboxCodec.shorten(entry.getKey())
								+ ": give each worker a unique node name");
					}
					byNode.put(entry.getKey(), entry.getValue());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return byNode;
	}

	/**
	 * The nodes a request addresses.
	 *
	 * @param destination the node names, {@code null} for all
	 * @param pattern a pattern of node names, {@code null} for all
	 * @param matcher {@code glob} or {@code pcre}, with a pattern
	 */
	record Target(@Nullable List<String> destination, @Nullable String pattern, @Nullable String matcher) {

		static final Target ALL = new Target(null, null, null);

		int limit() {
			return (this.destination != null) ? this.destination.size() : 0;
		}

	}

}
