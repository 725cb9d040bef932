package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.redis.PopOrder.Popped;
import dev.taskqueue.protocol.InboundLimits;
import dev.taskqueue.protocol.MessageCodec;

/**
 * The Redis commands of kombu's virtual channel: publish, bind, pop and record, ack,
 * requeue and dead-letter. All run on the shared connection; multi-key changes run as Lua
 * scripts ({@link KombuScripts}) so that they are atomic like kombu's transactions.
 */
final class RedisChannel {

	private static final Log logger = LogFactory.getLog(RedisChannel.class);

	private static final long ENVELOPE_HEADROOM = 1024 * 1024;

	private final RedisConnector connector;

	private final RedisKeys keys;

	private final Envelopes envelopes;

	private final MessageCodec codec;

	private final Set<String> boundQueues = ConcurrentHashMap.newKeySet();

	private final AckBatcher acks;

	private final Duration visibilityTimeout;

	private final long largestEnvelope;

	private final DeliveryCounters counters;

	private final AtomicBoolean warnedOfLongEta = new AtomicBoolean();

	RedisChannel(RedisConnector connector, RedisKeys keys, Envelopes envelopes, MessageCodec codec,
			Duration visibilityTimeout) {
		this.connector = connector;
		this.keys = keys;
		this.envelopes = envelopes;
		this.codec = codec;
		this.visibilityTimeout = visibilityTimeout;
		this.largestEnvelope = largestEnvelope(codec.limits());
		this.acks = new AckBatcher(connector, unackedKeys());
		this.counters = new DeliveryCounters(connector, keys, visibilityTimeout);
	}

	RedisConnector connector() {
		return this.connector;
	}

	RedisKeys keys() {
		return this.keys;
	}

	Envelopes envelopes() {
		return this.envelopes;
	}

	MessageCodec codec() {
		return this.codec;
	}

	/**
	 * Add the queue's binding ({@code SADD _kombu.binding.<queue> "<queue>\x06\x16\x06\x16<queue>"})
	 * once per broker, as kombu's {@code queue_bind} does for Celery's queues.
	 * @param commands the commands to send it with
	 * @param queue the queue name
	 * @return the {@code SADD} command, or {@code null} when the queue was bound already
	 */
	@Nullable RedisFuture<Long> bindAsync(RedisClusterAsyncCommands<byte[], byte[]> commands, String queue) {
		if (!this.boundQueues.add(queue)) {
			return null;
		}
		RedisFuture<Long> binding = commands.sadd(this.keys.binding(queue), RedisKeys.bindingMember(queue, "", queue));
		binding.whenComplete((added, ex) -> {
			if (ex != null) {
				this.boundQueues.remove(queue);
			}
		});
		return binding;
	}

	/**
	 * Bind the queues a consumer reads and wait for Redis.
	 * @param queues the queue names
	 */
	void bind(List<String> queues) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
		for (String queue : queues) {
			this.boundQueues.remove(queue);
			RedisFuture<Long> added = bindAsync(commands, queue);
			if (added != null) {
				try {
					this.connector.await(added, "bind queue '" + queue + "'");
				}
				catch (BrokerException ex) {
					this.boundQueues.remove(queue);
					throw ex;
				}
			}
		}
	}

	/**
	 * Pop up to {@code most} messages in the order's list order and record them as
	 * unacknowledged, atomically ({@link KombuScripts#POP}).
	 * @param order the lists to pop from, in order
	 * @param most the maximum number of messages to pop
	 * @param first a message already popped with {@code BRPOP} to record first, as list
	 * number and envelope, or {@code null}
	 * @return the popped messages
	 */
	List<Popped> pop(PopOrder order, int most, @Nullable IndexedItem first) {
		byte[][] queueArgs = order.queueArgs();
		byte[][] args = new byte[6 + queueArgs.length][];
		Instant now = Instant.now();
		args[0] = RedisKeys.bytes(seconds(now));
		args[1] = RedisKeys.bytes(Integer.toString(most));
		args[2] = RedisKeys.bytes((first != null) ? Integer.toString(first.index() + 1) : "0");
		args[3] = (first != null) ? first.envelope() : new byte[0];
		args[4] = RedisKeys.bytes(Long.toString(this.largestEnvelope));
		args[5] = RedisKeys.bytes(now.toString());
		System.arraycopy(queueArgs, 0, args, 6, queueArgs.length);
		CompletableFuture<List<Object>> reply = KombuScripts.POP.run(this.connector.commands(), order.scriptKeys(),
				args);
		List<Object> flat = this.connector.await(reply, "pop messages");
		if (flat == null || flat.isEmpty()) {
			return Collections.emptyList();
		}
		List<Popped> popped = new ArrayList<>(flat.size() / 3);
		for (int i = 0; i + 2 < flat.size(); i += 3) {
			int index = ((Number) flat.get(i)).intValue() - 1;
			byte[] tag = (byte[]) flat.get(i + 2);
			popped.add(new Popped(order.queueOfList(index), (byte[]) flat.get(i + 1),
					(tag.length > 0) ? RedisKeys.string(tag) : null));
		}
		return popped;
	}

	/**
	 * Return the longest envelope worth fetching: the largest body in base64 (4 bytes for 3),
	 * and 1 MiB for the headers and properties. Longer ones are dead-lettered inside Redis,
	 * unread.
	 * @param limits the limits of inbound messages
	 * @return the length of the longest envelope in bytes
	 */
	static long largestEnvelope(InboundLimits limits) {
		return limits.maxBodySize() / 3 * 4 + 4 + ENVELOPE_HEADROOM;
	}

	/**
	 * Acknowledge: remove the tag from {@code unacked_index} and {@code unacked}.
	 * @param tag the delivery tag
	 */
	void ack(String tag) {
		this.acks.ack(tag);
	}

	/**
	 * Give a message back to the front of its queue (kombu's restore): remove it from the
	 * ack-emulation keys and {@code RPUSH} it, marked redelivered, to the list of its
	 * priority, lowering its delivery counter so that this redelivery does not count
	 * ({@link KombuScripts#REQUEUE}); nothing is pushed when the entry is gone (restored by
	 * someone else).
	 * @param queue the queue name
	 * @param envelope the envelope text
	 * @param tag the delivery tag, or {@code null} when it was not recorded as unacknowledged
	 */
	void requeue(String queue, String envelope, @Nullable String tag) {
		Envelopes.Restored restored = this.envelopes.redelivered(envelope);
		byte[] list = this.keys.list(queue, restored.priority());
		try {
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
			if (tag == null) {
				this.connector.await(commands.rpush(list, RedisKeys.bytes(restored.envelope())), "requeue a message");
				return;
			}
			this.connector.await(KombuScripts.REQUEUE.run(commands, unackedKeys(list, this.keys.deliveries(tag)),
					RedisKeys.bytes(tag), RedisKeys.bytes(restored.envelope()), this.counters.expiry()),
					"requeue message " + tag);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not requeue message " + tag + " of queue '" + queue + "' on " + this.connector.url()
					+ " (it is delivered again after the visibility timeout): " + ex.getMessage());
		}
	}

	/**
	 * Return the delivery counters of the messages.
	 * @return the delivery counters
	 */
	DeliveryCounters counters() {
		return this.counters;
	}

	/**
	 * Remove a message from the ack-emulation keys and push a dead-letter record for it.
	 * @param queue the queue name
	 * @param envelope the envelope text
	 * @param tag the delivery tag, or {@code null} when it was not recorded as unacknowledged
	 * @param reason why the message is dead-lettered
	 */
	void deadLetter(String queue, String envelope, @Nullable String tag, String reason) {
		String record = this.envelopes.deadLetter(queue, reason, Instant.now(), envelope);
		try {
			this.connector.await(KombuScripts.DEAD_LETTER.run(this.connector.commands(),
					unackedKeys(this.keys.deadLetters(queue)), RedisKeys.bytes((tag != null) ? tag : ""),
					RedisKeys.bytes(record)), "dead-letter a message");
		}
		catch (RuntimeException ex) {
			logger.error("Could not dead-letter message " + tag + " of queue '" + queue + "' on "
					+ this.connector.url() + " (reason: " + reason + "): " + ex.getMessage());
		}
	}

	/**
	 * A message is held for an ETA: warn (once, then at DEBUG) when the ETA lies beyond the
	 * visibility timeout. This worker renews its hold, but Python workers do not, and a Python
	 * worker holding such a message has it restored, and run twice.
	 * @param id the task id
	 * @param eta the ETA, or {@code null}
	 */
	void held(String id, @Nullable Instant eta) {
		if (eta == null || !eta.isAfter(Instant.now().plus(this.visibilityTimeout))) {
			return;
		}
		String warning = "Task " + id + " has an ETA (" + eta + ") beyond the visibility timeout ("
				+ this.visibilityTimeout + "): this worker keeps its hold on it fresh, but a Python worker holding "
				+ "such a task has it restored after the visibility timeout and runs it twice; keep "
				+ "the broker's Redis visibility timeout and Python's visibility_timeout above the longest ETA";
		if (this.warnedOfLongEta.compareAndSet(false, true)) {
			logger.warn(warning + " (further such tasks are logged at DEBUG)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(warning);
		}
	}

	byte[][] unackedKeys(byte[]... more) {
		byte[][] keys = new byte[2 + more.length][];
		keys[0] = this.keys.unacked();
		keys[1] = this.keys.unackedIndex();
		System.arraycopy(more, 0, keys, 2, more.length);
		return keys;
	}

	/**
	 * Return a time as kombu writes it: Unix seconds with a fraction.
	 * @param time the time
	 * @return the Unix seconds as text
	 */
	static String seconds(Instant time) {
		long micros = time.getNano() / 1000;
		return time.getEpochSecond() + "." + String.format("%06d", micros);
	}

	/**
	 * A message popped with {@code BRPOP}: the (0-based) number of its list and its bytes.
	 * @param index the (0-based) number of its list
	 * @param envelope the envelope bytes
	 */
	record IndexedItem(int index, byte[] envelope) {
	}

}
