package dev.taskqueue.broker.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BroadcastTransport.BroadcastListener;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.routing.ExchangeType;

/**
 * The {@link BroadcastTransport} of {@link RedisBroker}, as kombu 5.2.4's Redis transport
 * does it with its default options. Fanout and topic exchanges (Celery makes its topic
 * exchanges fanout on Redis) are pub/sub: {@code PUBLISH <prefix>/<db>.<exchange>[/<routing
 * key>]}, received with {@link FanoutSubscription}. A direct exchange is its binding set
 * {@code _kombu.binding.<exchange>}: a message is {@code LPUSH}ed to every queue bound with
 * its routing key, and dropped when there is none; queues are received with
 * {@link DirectSubscription}.
 */
final class RedisBroadcasts {

	private static final Log logger = LogFactory.getLog(RedisBroadcasts.class);

	private final RedisConnector connector;

	private final RedisKeys keys;

	private final Envelopes envelopes;

	private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	RedisBroadcasts(RedisConnector connector, RedisKeys keys, Envelopes envelopes) {
		this.connector = connector;
		this.keys = keys;
		this.envelopes = envelopes;
	}

	void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(routingKey, "'routingKey' must not be null");
		Assert.notNull(message, "'message' must not be null");
		byte[] envelope = this.envelopes.writeBroadcast(message, exchange.name(), routingKey,
				UUID.randomUUID().toString());
		if (exchange.type() == ExchangeType.DIRECT) {
			publishDirect(exchange.name(), routingKey, envelope);
		}
		else {
			this.connector.await(
					this.connector.commands()
						.publish(this.keys.fanout(this.connector.database(), exchange.name(), routingKey), envelope),
					"publish to exchange '" + exchange.name() + "'");
		}
	}

	private void publishDirect(String exchange, String routingKey, byte[] envelope) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.connector.commands();
		Set<byte[]> members = this.connector.await(commands.smembers(this.keys.binding(exchange)),
				"look up the bindings of exchange '" + exchange + "'");
		Set<String> queues = new LinkedHashSet<>();
		for (byte[] member : members) {
			String[] fields = RedisKeys.string(member).split(RedisKeys.SEP, -1);
			if (fields.length == 3 && fields[0].equals(routingKey)) {
				queues.add(fields[2]);
			}
		}
		if (queues.isEmpty()) {
			logger.debug("No queue is bound to exchange '" + exchange + "' with routing key '" + routingKey
					+ "'; the message is dropped");
			return;
		}
		List<RedisFuture<Long>> pushes = new ArrayList<>(queues.size());
		for (String queue : queues) {
			pushes.add(commands.lpush(this.keys.list(queue, 0), envelope));
		}
		for (RedisFuture<Long> push : pushes) {
			this.connector.await(push, "publish to exchange '" + exchange + "'");
		}
	}

	Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(queue, "'queue' must not be null");
		Assert.notNull(listener, "'listener' must not be null");
		Assert.state(!this.closed, "The Redis broker has been destroyed");
		BroadcastReceiver receiver = new BroadcastReceiver(this.envelopes, listener,
				"queue '" + queue.name() + "' of exchange '" + exchange.name() + "'");
		Subscription[] holder = new Subscription[1];
		Runnable removed = () -> this.subscriptions.remove(holder[0]);
		if (exchange.type() == ExchangeType.DIRECT) {
			DirectSubscription direct = new DirectSubscription(this.connector, this.keys, exchange.name(),
					queue.name(), queue.bindingKey(), receiver, removed);
			holder[0] = direct;
			direct.start();
		}
		else {
			FanoutSubscription fanout = new FanoutSubscription(this.connector, this.keys, exchange.name(),
					queue.name(), queue.bindingKey(), receiver, removed);
			holder[0] = fanout;
			fanout.start();
		}
		this.subscriptions.add(holder[0]);
		if (this.closed) {
			holder[0].close();
		}
		return holder[0];
	}

	/** Close every subscription still open; subscribing fails from now on. */
	void close() {
		this.closed = true;
		for (Subscription subscription : List.copyOf(this.subscriptions)) {
			subscription.close();
		}
	}

}
