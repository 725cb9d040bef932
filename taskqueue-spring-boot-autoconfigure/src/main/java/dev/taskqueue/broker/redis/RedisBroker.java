package dev.taskqueue.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

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
import dev.taskqueue.protocol.MessageCodec;

/**
 * A {@link Broker} on Redis that speaks kombu's Redis transport (as of kombu 5.2.4), so Java
 * and Python Celery clients and workers share the same queues.
 * <p>
 * A message is a JSON envelope {@code LPUSH}ed to the list of its queue and priority step
 * ({@code celery}, {@code celery\x06\x163}, ...; priority 0 is served first). Consumers pop
 * from the right end in kombu's key order and record each message as unacknowledged in the
 * {@code unacked} hash and {@code unacked_index} sorted set; acknowledging removes it from
 * both, requeueing pushes it back to the front of its queue marked redelivered, and
 * dead-lettering moves it to the list {@code <queue>.dead-letter}. While this broker holds a
 * message (waiting for its ETA, queued or running) it keeps renewing its delivery time in
 * {@code unacked_index}; messages left unacknowledged and unrenewed longer than the
 * visibility timeout (their consumer went away) are restored to their queue by whichever
 * consumer, Java or Python, scans first.
 * <p>
 * Publishing and acknowledgements use the connection factory's shared Lettuce connection;
 * each consumption waits in {@code BRPOP} on a connection of its own. Tasks go through the
 * default exchange only ({@code ""}, straight to the queue named by the routing key).
 * Broadcast traffic (remote control and events) goes through named exchanges as kombu
 * routes it: pub/sub for fanout and topic exchanges, binding sets and lists for direct ones
 * ({@link BroadcastTransport}). On {@link #destroy()} broadcast subscriptions and
 * consumptions stop and deliveries still outstanding go back to their queue, as kombu does
 * on shutdown; the connection factory is left to its owner.
 */
public class RedisBroker implements Broker, BrokerAdmin, BroadcastTransport, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisBroker.class);

	/** How many dead letters a search for one reads per round trip. */
	private static final int DEAD_LETTER_PAGE = 100;

	private final RedisTransportOptions options;

	private final RedisConnector connector;

	private final RedisChannel channel;

	private final RedisPublisher publisher;

	private final UnackedRestorer restorer;

	private final UnackedRenewer renewer;

	private final RedisBroadcasts broadcasts;

	private final Set<RedisConsumption> consumptions = ConcurrentHashMap.newKeySet();

	private volatile boolean destroyed;

	/**
	 * Create a broker.
	 * @param connectionFactory a Lettuce connection factory for the broker's database,
	 * owned (started and closed) by the caller
	 * @param codec decodes the messages handed to consumers
	 * @param options the masked URL, the visibility timeout and the global key prefix
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, MessageCodec codec, RedisTransportOptions options) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.notNull(options, "'options' must not be null");
		this.options = options;
		this.connector = new RedisConnector(connectionFactory, options.url());
		this.channel = new RedisChannel(this.connector, new RedisKeys(options.globalKeyPrefix()), new Envelopes(),
				codec, options.visibilityTimeout());
		this.publisher = new RedisPublisher(this.channel, options);
		this.restorer = new UnackedRestorer(this.channel, options.visibilityTimeout());
		this.renewer = new UnackedRenewer(this.channel, options.visibilityTimeout());
		this.broadcasts = new RedisBroadcasts(this.connector, this.channel.keys(), this.channel.envelopes());
	}

	@Override
	public void publish(OutboundMessage message) {
		this.publisher.publish(message);
	}

	/**
	 * Publish without waiting for Redis's reply, pipelined on the shared connection; at most
	 * {@code maxInFlight} at once ({@link RedisTransportOptions}). The future completes on
	 * Lettuce's I/O thread.
	 */
	@Override
	public CompletableFuture<Void> publishAsync(OutboundMessage message) {
		try {
			return this.publisher.publishAsync(message);
		}
		catch (UnsupportedOperationException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
		Assert.state(!this.destroyed, "The Redis broker has been destroyed");
		RedisConsumption[] holder = new RedisConsumption[1];
		RedisConsumption consumption = new RedisConsumption(this.channel, settings, handler, () -> {
			if (this.consumptions.remove(holder[0])) {
				this.restorer.consumerStopped();
			}
			this.renewer.consumerStopped(holder[0]);
		});
		holder[0] = consumption;
		this.consumptions.add(consumption);
		this.renewer.consumerStarted(consumption);
		this.restorer.consumerStarted();
		consumption.start();
		return consumption;
	}

	/**
	 * Fanout and topic exchanges are {@code PUBLISH}ed on {@code /<db>.<exchange>[/<routing
	 * key>]}; a direct exchange's message is {@code LPUSH}ed to the queues its binding set
	 * {@code _kombu.binding.<exchange>} binds with the routing key.
	 */
	@Override
	public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		this.broadcasts.publish(exchange, routingKey, message);
	}

	/**
	 * Fanout and topic exchanges are received with {@code PSUBSCRIBE} on a pub/sub connection
	 * of the subscription; a direct exchange's queue with {@code BRPOP} on a connection of its
	 * own. Either way the queue's binding is written to {@code _kombu.binding.<exchange>} and
	 * removed on close.
	 */
	@Override
	public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		Assert.state(!this.destroyed, "The Redis broker has been destroyed");
		return this.broadcasts.subscribe(exchange, queue, listener);
	}

	@Override
	public void ping() {
		RedisServerCheck.ping(this.channel.connector());
	}

	/** Check Redis and return its role and address, such as {@code master 127.0.0.1:6379}. */
	@Override
	public String pingServer() {
		return RedisServerCheck.ping(this.channel.connector());
	}

	@Override
	public String url() {
		return this.options.url();
	}

	/**
	 * The number of messages waiting in a queue: the sum of {@code LLEN} over its priority
	 * lists.
	 */
	@Override
	public long size(String queue) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
		List<RedisFuture<Long>> lengths = new ArrayList<>();
		for (byte[] list : this.channel.keys().lists(queue)) {
			lengths.add(commands.llen(list));
		}
		long size = 0;
		for (RedisFuture<Long> length : lengths) {
			size += this.connector.await(length, "measure queue '" + queue + "'");
		}
		return size;
	}

	/**
	 * The dead letters of a queue: the records of the list {@code <queue>.dead-letter}, oldest
	 * first.
	 */
	@Override
	public List<DeadLetter> deadLetters(String queue, int limit) {
		Assert.isTrue(limit > 0, () -> "limit must be positive, got " + limit);
		List<byte[]> records = readDeadLetters(queue, 0, limit);
		List<DeadLetter> letters = new ArrayList<>(records.size());
		for (int i = records.size() - 1; i >= 0; i--) {
			letters.add(this.channel.envelopes().readDeadLetter(RedisKeys.string(records.get(i))));
		}
		return letters;
	}

	/**
	 * Moves the envelope, unchanged, from {@code <queue>.dead-letter} to the list of its
	 * queue and priority in one script, so that two callers cannot both requeue it; its next
	 * delivery counts as its first. The dead letters are searched a page at a time, oldest
	 * first, never all fetched at once.
	 */
	@Override
	public boolean requeueDeadLetter(String queue, String taskId) {
		for (long skip = 0;; skip += DEAD_LETTER_PAGE) {
			List<byte[]> records = readDeadLetters(queue, skip, DEAD_LETTER_PAGE);
			for (int i = records.size() - 1; i >= 0; i--) {
				DeadLetter letter = this.channel.envelopes().readDeadLetter(RedisKeys.string(records.get(i)));
				if (taskId.equals(letter.taskId())) {
					return requeue(queue, records.get(i), letter);
				}
			}
			if (records.size() < DEAD_LETTER_PAGE) {
				return false;
			}
		}
	}

	private boolean requeue(String queue, byte[] record, DeadLetter letter) {
		int priority = this.channel.envelopes().redelivered(letter.rawText()).priority();
		byte[] deadLetters = this.channel.keys().deadLetters(queue);
		byte[] list = this.channel.keys().list(queue, priority);
		// a requeued dead letter starts its deliveries afresh, though its envelope says redelivered
		String tag = this.channel.envelopes().redeliveredTag(letter.rawText());
		byte[][] keys = (tag != null) ? new byte[][] { deadLetters, list, this.channel.keys().deliveries(tag) }
				: new byte[][] { deadLetters, list };
		Long moved = this.connector.await(KombuScripts.REQUEUE_DEAD_LETTER.run(this.connector.commands(), keys, record,
				letter.raw(), this.channel.counters().expiry()), "requeue the dead letter of task " + letter.taskId());
		return moved != null && moved == 1;
	}

	/**
	 * Read dead letters of a queue counted from the oldest. The list grows at its head, so
	 * the oldest is its last element.
	 * @param queue the queue name
	 * @param skip how many of the oldest to pass over
	 * @param count how many to read at most
	 * @return the records, oldest last
	 */
	private List<byte[]> readDeadLetters(String queue, long skip, int count) {
		return this.connector.await(
				this.connector.commands().lrange(this.channel.keys().deadLetters(queue), -(skip + count), -(skip + 1)),
				"read the dead letters of queue '" + queue + "'");
	}

	/**
	 * Restore now the messages whose visibility timeout passed (normally done on a timer).
	 * @return how many went back to a queue, or -1 when another consumer was restoring
	 */
	int restoreVisible() {
		return this.restorer.restoreVisible();
	}

	/**
	 * Stop the consumptions, the restore timer and the renewal, and give the deliveries still
	 * outstanding back to their queues. The connection factory is not closed.
	 */
	@Override
	public void destroy() {
		this.destroyed = true;
		this.broadcasts.close();
		List<RedisDelivery> outstanding = new ArrayList<>();
		for (RedisConsumption consumption : List.copyOf(this.consumptions)) {
			consumption.close();
			outstanding.addAll(consumption.outstanding());
		}
		this.restorer.stop();
		this.renewer.stop();
		if (!outstanding.isEmpty()) {
			logger.info("Restoring " + outstanding.size() + " unacknowledged message(s) to " + url());
			for (RedisDelivery delivery : outstanding) {
				delivery.requeue();
			}
		}
		this.connector.close();
	}

}
